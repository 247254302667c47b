import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoTableDefinitions, dynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { SEARCH_HTTP_VERBS } from '../../backend/src/adapters/search/search-access.js';
import { ROUTE_KEYS, routeAccess } from '../../backend/src/api/route-access.js';
import { deployStep, FUNCTIONS, type FunctionSpec } from '../../backend/src/lambda/functions.js';
import { stageConfig } from '../../infra/aws/config/stages.js';
import { logicalIdOfFunction as logicalIdOfFunctionIn, roleOfFunction, statementsOfRole } from './support/role-statements.js';
import { registryFunctions, resourcesOf, synthesize, type Synthesized } from './support/synth.js';

const RUNBOOK = readFileSync(resolve(import.meta.dirname, '../../infra/RUNBOOK.md'), 'utf8');
/** Actions that may go with Resource "*": they have no resource-level permissions. */
const WILDCARD_RESOURCE_ACTIONS = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'sns:Publish', 'secretsmanager:GetRandomPassword', 'dynamodb:ListStreams']);

describe.each(['dev', 'prod'])('CDK stack, stage %s', (stage) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(stageConfig(stage, {}), { bundle: false });
  }, 240_000);

  const logicalIdOfFunction = (spec: FunctionSpec) => logicalIdOfFunctionIn(s, spec);
  const roleOf = (spec: FunctionSpec) => roleOfFunction(s, spec);
  const statementsOf = (roleId: string) => statementsOfRole(s, roleId);
  const actionsOf = (roleId: string) => statementsOf(roleId).filter((st) => st.Effect === 'Allow').flatMap((st) => [st.Action].flat());

  it('passes cdk-nag AwsSolutions with every acknowledgement reasoned', () => {
    expect(s.synthError).toBeUndefined();
    expect(s.nagFindings).toEqual([]);
  });

  it('routes every API route to its function, behind the JWT authorizer unless the route is public', () => {
    const routes = resourcesOf(s.json, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual([...ROUTE_KEYS, '$default'].sort());
    const [authorizerId, authorizer] = resourcesOf(s.json, 'AWS::ApiGatewayV2::Authorizer')[0]!;
    expect(authorizer.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    for (const [, route] of routes) {
      const key = route.Properties.RouteKey as (typeof ROUTE_KEYS)[number] | '$default';
      const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
      const integration = s.json.Resources[integrationId.Ref].Properties;
      const spec = FUNCTIONS.find((f) => f.trigger.kind === 'http' && f.trigger.route === key)!;
      expect(integration.IntegrationUri['Fn::GetAtt'][0], key).toBe(logicalIdOfFunction(spec));
      // The fallback answers 404/405 to anyone, as the local server does.
      if (key === '$default' || routeAccess(key) === 'none') expect(route.Properties.AuthorizationType ?? 'NONE', key).toBe('NONE');
      else expect(route.Properties, key).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('leaves only sign-in, probes and published documents public', () => {
    const publicRoutes = ROUTE_KEYS.filter((k) => routeAccess(k) === 'none');
    for (const key of publicRoutes) expect(key).toMatch(/^(POST \/v1\/auth\/[a-z/-]+|GET \/(health|ready|openapi\.json|\.well-known\/jwks\.json))$/);
  });

  it('checks the device pool access tokens: issuer of the pool, audience its client', () => {
    const [, authorizer] = resourcesOf(s.json, 'AWS::ApiGatewayV2::Authorizer')[0]!;
    const [poolId] = resourcesOf(s.json, 'AWS::Cognito::UserPool').find(([, p]) => p.Properties.UserPoolName === `${s.config.prefix}users`)!;
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain(poolId);
    const [clientId] = resourcesOf(s.json, 'AWS::Cognito::UserPoolClient').find(([, c]) => c.Properties.ClientName === `${s.config.prefix}devices`)!;
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
  });

  it('throttles the stage, and the sign-in routes harder; logs access as JSON', () => {
    const [, apiStage] = resourcesOf(s.json, 'AWS::ApiGatewayV2::Stage')[0]!;
    expect(apiStage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: s.config.api.throttle.rateLimit, ThrottlingBurstLimit: s.config.api.throttle.burstLimit });
    const signIn = ROUTE_KEYS.filter((k) => k.startsWith('POST /v1/auth/'));
    expect(Object.keys(apiStage.Properties.RouteSettings).sort()).toEqual(signIn.sort());
    for (const key of signIn) expect(apiStage.Properties.RouteSettings[key]).toEqual({ ThrottlingRateLimit: s.config.api.signInThrottle.rateLimit, ThrottlingBurstLimit: s.config.api.signInThrottle.burstLimit });
    const format = JSON.parse(apiStage.Properties.AccessLogSettings.Format as string);
    expect(format).toMatchObject({ requestId: '$context.requestId', route: '$context.routeKey', status: '$context.status' });
    const [, api] = resourcesOf(s.json, 'AWS::ApiGatewayV2::Api')[0]!;
    expect(api.Properties.CorsConfiguration).toBeUndefined();
  });

  it('feeds the consumer from the queue with partial batch responses, its batch size, window and concurrency', () => {
    const consumer = FUNCTIONS.find((f) => f.trigger.kind === 'queue')!;
    if (consumer.trigger.kind !== 'queue') throw new Error('unreachable');
    const [queueId] = resourcesOf(s.json, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === `${s.config.prefix}contacts`)!;
    const mappings = resourcesOf(s.json, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.EventSourceArn?.['Fn::GetAtt']?.[0] === queueId);
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0]!;
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: logicalIdOfFunction(consumer) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: consumer.trigger.batchSize,
      MaximumBatchingWindowInSeconds: consumer.trigger.maxBatchingWindowSeconds,
      ScalingConfig: { MaximumConcurrency: s.config.consumer.maxConcurrency },
    });
    const setupId = resourcesOf(s.json, 'Custom::ProxitraceSearchSetup')[0]![0];
    expect(mapping.DependsOn).toContain(setupId);
  });

  it('gives the contact queue a dead-letter queue, SSE, TLS only and a visibility of at least 6× the consumer timeout', () => {
    const consumer = FUNCTIONS.find((f) => f.trigger.kind === 'queue')!;
    const queues = Object.fromEntries(resourcesOf(s.json, 'AWS::SQS::Queue').map(([id, q]) => [q.Properties.QueueName, { id, ...q.Properties }]));
    const main = queues[`${s.config.prefix}contacts`];
    const dlq = queues[`${s.config.prefix}contacts-dlq`];
    expect(main.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumer.timeoutSeconds);
    expect(main.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] }, maxReceiveCount: s.config.queue.maxReceives + 1 });
    for (const q of [main, dlq]) expect(q.SqsManagedSseEnabled).toBe(true);
    expect(dlq.MessageRetentionPeriod).toBe(14 * 86_400);
    for (const q of [main, dlq]) {
      const policy = resourcesOf(s.json, 'AWS::SQS::QueuePolicy').find(([, p]) => (p.Properties.Queues as { Ref: string }[]).some((r) => r.Ref === q.id));
      expect(policy![1].Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  it('creates every table as dynamo-tables.ts defines it: on demand, PITR, TTL where it holds personal data, streams where declared', () => {
    const tables = Object.fromEntries(resourcesOf(s.json, 'AWS::DynamoDB::Table').map(([, t]) => [t.Properties.TableName, t]));
    const definitions = dynamoTableDefinitions(dynamoTableNames(s.config.prefix));
    expect(Object.keys(tables).sort()).toEqual(definitions.map((d) => d.input.TableName).sort());
    for (const d of definitions) {
      const t = tables[d.input.TableName!];
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.KeySchema).toEqual(d.input.KeySchema);
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: d.pointInTimeRecovery });
      expect(d.pointInTimeRecovery).toBe(true);
      if (d.personalData) expect(d.ttl, `${d.name} holds personal data`).toBe(true);
      expect(t.Properties.TimeToLiveSpecification).toEqual(d.ttl ? { AttributeName: 'ttl', Enabled: true } : undefined);
      expect((t.Properties.GlobalSecondaryIndexes ?? []).map((i: { IndexName: string }) => i.IndexName).sort()).toEqual((d.input.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort());
      expect(t.Properties.StreamSpecification?.StreamViewType).toBe(d.input.StreamSpecification?.StreamEnabled ? d.input.StreamSpecification.StreamViewType : undefined);
      expect(t.Properties.DeletionProtectionEnabled ?? false).toBe(s.config.keepData);
      expect(t.DeletionPolicy).toBe(s.config.keepData ? 'Retain' : 'Delete');
    }
  });

  it('wires every stream-reading function with bisection, retries and an on-failure destination', () => {
    const readers = FUNCTIONS.filter((f) => f.trigger.kind === 'table-stream');
    const streamMappings = resourcesOf(s.json, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'));
    expect(streamMappings).toHaveLength(readers.length);
    for (const reader of readers) {
      const [, mapping] = streamMappings.find(([, m]) => m.Properties.FunctionName.Ref === logicalIdOfFunction(reader))!;
      expect(mapping.Properties).toMatchObject({
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: expect.any(Number),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
    }
  });

  it('runs every function on arm64 and Node 24 with its registry memory and timeout, X-Ray, the Powertools environment and a retained log group', () => {
    // Besides these: the reader of the cross-region reference to the edge stack's web ACL (aws-cdk-lib's, edge.test.ts).
    expect(registryFunctions(s.json)).toHaveLength(FUNCTIONS.length);
    const logGroups = Object.fromEntries(resourcesOf(s.json, 'AWS::Logs::LogGroup').map(([id, g]) => [id, g.Properties]));
    for (const spec of FUNCTIONS) {
      const fn = s.json.Resources[logicalIdOfFunction(spec)].Properties;
      expect(fn, spec.id).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: spec.memoryMb, Timeout: spec.timeoutSeconds, TracingConfig: { Mode: 'Active' } });
      expect(fn.Environment.Variables).toMatchObject({ BACKEND: 'aws', POWERTOOLS_SERVICE_NAME: 'proxitrace', POWERTOOLS_METRICS_NAMESPACE: `Proxitrace/${stage}`, LOG_LEVEL: s.config.logLevel });
      expect(logGroups[fn.LoggingConfig.LogGroup.Ref]).toMatchObject({ RetentionInDays: s.config.logRetentionDays });
    }
  });

  it('sets a retention on every log group', () => {
    const groups = resourcesOf(s.json, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(FUNCTIONS.length);
    for (const [id, g] of groups) expect(g.Properties.RetentionInDays, id).toBe(s.config.logRetentionDays);
  });

  it('grants no wildcard action, and a wildcard resource only to actions that have no resource-level permissions', () => {
    const statements = [
      ...[...resourcesOf(s.json, 'AWS::IAM::Policy'), ...resourcesOf(s.json, 'AWS::IAM::ManagedPolicy')].flatMap(([, p]) => p.Properties.PolicyDocument.Statement),
      ...resourcesOf(s.json, 'AWS::IAM::Role').flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement)),
    ] as { Effect: string; Action: string | string[]; Resource: unknown }[];
    expect(statements.length).toBeGreaterThan(FUNCTIONS.length);
    for (const st of statements) {
      const actions = [st.Action].flat();
      for (const action of actions) expect(action, JSON.stringify(st)).not.toMatch(/^\*$|:\*$/);
      if ([st.Resource].flat().includes('*') && st.Effect === 'Allow') for (const action of actions) expect(WILDCARD_RESOURCE_ACTIONS, JSON.stringify(st)).toContain(action);
    }
  });

  it.each(FUNCTIONS.map((f) => [f.id, f] as const))('grants %s exactly what its registry entry lists', (_id, spec) => {
    const roleId = roleOf(spec);
    const actions = new Set(actionsOf(roleId));
    const has = (prefix: string) => [...actions].some((a) => a.startsWith(prefix));
    const secretsListed = Object.keys(spec.access.secrets ?? {}).length > 0;
    expect(has('secretsmanager:GetSecretValue')).toBe(secretsListed || (spec.access.search !== undefined && s.config.search.kind === 'elastic-cloud'));
    expect(actions.has('secretsmanager:PutSecretValue')).toBe(Object.values(spec.access.secrets ?? {}).some((level) => level === 'initialise' || level === 'rotate'));
    expect(actions.has('sns:Publish')).toBe(spec.access.sms === true);
    const cognitoActions = [...actions].filter((a) => a.startsWith('cognito-idp:')).sort();
    expect(cognitoActions).toEqual([...new Set(spec.access.cognito ?? [])].map((a) => `cognito-idp:${a}`).sort());
    const queueLevels = Object.values(spec.access.queues ?? {});
    expect(actions.has('sqs:SendMessage')).toBe(queueLevels.some((l) => l === 'send' || l === 'send-consume'));
    expect(actions.has('sqs:ReceiveMessage')).toBe(spec.trigger.kind === 'queue' || queueLevels.some((l) => l === 'consume' || l === 'send-consume'));
    const esActions = [...actions].filter((a) => a.startsWith('es:')).sort();
    expect(esActions).toEqual(spec.access.search && s.config.search.kind === 'opensearch-service' ? SEARCH_HTTP_VERBS[spec.access.search].map((v) => `es:ESHttp${v}`).sort() : []);
    // DynamoDB: only the tables the entry names.
    const tableIds = Object.fromEntries(resourcesOf(s.json, 'AWS::DynamoDB::Table').map(([id, t]) => [id, t.Properties.TableName as string]));
    const touched = new Set(
      statementsOf(roleId)
        .filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')))
        .flatMap((st) => [st.Resource].flat())
        .map((r) => JSON.stringify(r).match(/"(Tables\w+)"/)?.[1])
        .filter((id): id is string => id !== undefined)
        .map((id) => tableIds[id]),
    );
    const names = dynamoTableNames(s.config.prefix);
    expect([...touched].sort()).toEqual(Object.keys(spec.access.tables ?? {}).map((t) => names[t as keyof typeof names]).sort());
    const writes = [...actions].some((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].includes(a));
    expect(writes).toBe(Object.values(spec.access.tables ?? {}).some((level) => level === 'write' || level === 'read-write'));
  });

  it('encrypts the search domain at rest and between nodes, HTTPS only, with fine-grained access control and Cognito for Dashboards', () => {
    if (s.config.search.kind !== 'opensearch-service') throw new Error('stage without a domain');
    const [, domain] = resourcesOf(s.json, 'AWS::OpenSearchService::Domain')[0]!;
    const setup = deployStep('search-setup');
    expect(domain.Properties).toMatchObject({
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
      AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false, MasterUserOptions: { MasterUserARN: { 'Fn::GetAtt': [roleOf(setup), 'Arn'] } } },
      CognitoOptions: { Enabled: true },
      ClusterConfig: { InstanceCount: s.config.search.dataNodes.count, InstanceType: s.config.search.dataNodes.instanceType },
      EBSOptions: { EBSEnabled: true, VolumeSize: s.config.search.volumeGb, VolumeType: 'gp3' },
    });
    const [officialsPoolId] = resourcesOf(s.json, 'AWS::Cognito::UserPool').find(([, p]) => p.Properties.UserPoolName === `${s.config.prefix}officials`)!;
    expect(domain.Properties.CognitoOptions.UserPoolId).toEqual({ Ref: officialsPoolId });
    const principals = domain.Properties.AccessPolicies.Statement[0].Principal.AWS.map((p: any) => p['Fn::GetAtt'][0]).sort();
    const searchers = FUNCTIONS.filter((f) => f.access.search).map(roleOf);
    const officialsRole = resourcesOf(s.json, 'AWS::IAM::Role').find(([id]) => id.startsWith('IdentityOfficialsRole'))![0];
    expect(principals).toEqual([...searchers, officialsRole].sort());
  });

  it('maps each function role to its search access level in the deploy-time setup, the consumer alone as writer', () => {
    const [, setup] = resourcesOf(s.json, 'Custom::ProxitraceSearchSetup')[0]!;
    const deploy = deployStep('search-setup');
    expect(setup.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [logicalIdOfFunction(deploy), 'Arn'] });
    const mapped = (level: string) => (setup.Properties.roleMappings[level] ?? []).map((r: any) => r['Fn::GetAtt'][0]).sort();
    expect(mapped('write')).toEqual(FUNCTIONS.filter((f) => f.access.search === 'write').map(roleOf).sort());
    expect(FUNCTIONS.filter((f) => f.access.search === 'write').map((f) => f.id)).toEqual(['process-contact-batches']);
    for (const level of ['ping', 'read', 'analytics', 'erase', 'retention'] as const) expect(mapped(level)).toEqual(FUNCTIONS.filter((f) => f.access.search === level).map(roleOf).sort());
    expect(setup.Properties.roleMappings.officials).toHaveLength(1);
  });

  const scheduled = FUNCTIONS.flatMap((f) => (f.trigger.kind === 'schedule' ? [{ spec: f, trigger: f.trigger }] : []));
  it('schedules the retention purge and the analytics job, each with EventBridge Scheduler', () => {
    expect(scheduled.map((f) => f.spec.id).sort()).toEqual(['purge-expired-data', 'run-analytics']);
  });

  it.each(scheduled.map((f) => [f.spec.id, f] as const))('invokes %s on its EventBridge schedule', (_, { spec, trigger }) => {
    const rate = trigger.everyMinutes % 60 === 0 ? `rate(${trigger.everyMinutes / 60} hour${trigger.everyMinutes === 60 ? '' : 's'})` : `rate(${trigger.everyMinutes} minutes)`;
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: `${s.config.prefix}${trigger.name}`,
      ScheduleExpression: rate,
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [logicalIdOfFunction(spec), 'Arn'] }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }) },
    });
  });

  it('keeps the token keys in Secrets Manager, rotated by the rotation function, readable only where tokens are issued or resolved', () => {
    const rotation = FUNCTIONS.find((f) => f.trigger.kind === 'secret-rotation')!;
    const [secretId] = resourcesOf(s.json, 'AWS::SecretsManager::Secret').find(([, sec]) => sec.Properties.Name === `${s.config.prefix}token-keys`)!;
    s.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: secretId },
      RotationLambdaARN: { 'Fn::GetAtt': [logicalIdOfFunction(rotation), 'Arn'] },
      RotationRules: { ScheduleExpression: `rate(${s.config.tokenKeys.rotationDays} days)` },
    });
  });

  it.each([
    ['tokenKeys', 'token-keys', 'TOKEN_KEYS_SECRET_ID', 'TOKEN_KEYS'],
    ['relayKeys', 'relay-keys', 'RELAY_KEYS_SECRET_ID', 'RELAY_KEYS'],
    ['phoneHash', 'phone-hash', 'PHONE_HASH_SECRET_ID', 'PHONE_HASH_SECRET'],
  ] as const)('names the %s secret only to the functions that list it; the others get none', (name, suffix, idVariable, noneVariable) => {
    const [secretId, secret] = resourcesOf(s.json, 'AWS::SecretsManager::Secret').find(([, sec]) => sec.Properties.Name === `${s.config.prefix}${suffix}`)!;
    // Generated by Secrets Manager: no key material in the template.
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(secret.Properties.GenerateSecretString).toBeDefined();
    for (const spec of FUNCTIONS) {
      const vars = s.json.Resources[logicalIdOfFunction(spec)].Properties.Environment.Variables;
      if (spec.access.secrets?.[name]) expect(vars[idVariable], spec.id).toEqual({ Ref: secretId });
      else expect(vars[noneVariable], spec.id).toBe('none');
    }
  });

  it('writes the first relay key file at deploy time, before any function that reads it is created', () => {
    const init = deployStep('relay-keys');
    const [resourceId, resource] = resourcesOf(s.json, 'Custom::ProxitraceRelayKeys')[0]!;
    expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [logicalIdOfFunction(init), 'Arn'] });
    for (const spec of FUNCTIONS.filter((f) => f.access.secrets?.relayKeys === 'read')) expect(s.json.Resources[logicalIdOfFunction(spec)].DependsOn, spec.id).toContain(resourceId);
  });

  it('gives every function the SMS countries, the tracer DLQ and the session lifetimes of the stage', () => {
    for (const spec of FUNCTIONS) {
      const vars = s.json.Resources[logicalIdOfFunction(spec)].Properties.Environment.Variables;
      expect(vars, spec.id).toMatchObject({
        SMS_ALLOWED_CALLING_CODES: s.config.sms.allowedCallingCodes.join(','),
        ACCESS_TOKEN_TTL_HOURS: String(s.config.identity.accessTokenHours),
        REFRESH_TOKEN_TTL_DAYS: String(s.config.identity.refreshTokenDays),
      });
      const [tracingDlqId] = resourcesOf(s.json, 'AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === `${s.config.prefix}tracing-dlq`)!;
      expect(vars.SQS_TRACING_DLQ_URL, spec.id).toEqual({ Ref: tracingDlqId });
    }
  });

  it('keeps device users under opaque usernames with optional TOTP, the password flows, 1-hour access and 90-day refresh tokens; Dashboards officials with TOTP required', () => {
    const pools = Object.fromEntries(resourcesOf(s.json, 'AWS::Cognito::UserPool').map(([, p]) => [p.Properties.UserPoolName, p.Properties]));
    const devices = pools[`${s.config.prefix}users`];
    expect(devices).toMatchObject({ MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'], AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    expect(devices.UsernameAttributes).toBeUndefined();
    expect(devices.AliasAttributes).toBeUndefined();
    expect(pools[`${s.config.prefix}officials`]).toMatchObject({ MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'], AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const [, client] = resourcesOf(s.json, 'AWS::Cognito::UserPoolClient').find(([, c]) => c.Properties.ClientName === `${s.config.prefix}devices`)!;
    expect(client.Properties.GenerateSecret).toBe(false);
    expect([...client.Properties.ExplicitAuthFlows].sort()).toEqual(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
    const minutes = (value: number, unit: string) => value * ({ minutes: 1, hours: 60, days: 1440 } as Record<string, number>)[unit]!;
    const units = client.Properties.TokenValidityUnits;
    expect(minutes(client.Properties.AccessTokenValidity, units.AccessToken)).toBe(60 * s.config.identity.accessTokenHours);
    expect(minutes(client.Properties.RefreshTokenValidity, units.RefreshToken)).toBe(1440 * s.config.identity.refreshTokenDays);
    expect(s.config.identity).toMatchObject({ accessTokenHours: 1, refreshTokenDays: 90 });
    expect(client.Properties.EnableTokenRevocation).toBe(true);
    s.template.resourceCountIs('AWS::Cognito::UserPoolGroup', 1);
    s.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'officials' });
  });

  it('alarms on DLQ depth, queue age, function errors and throttles, the 5xx rate and time-to-notify p99, each with a runbook section', () => {
    const alarms = resourcesOf(s.json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const sections = new Set(alarms.map((a) => /Runbook: infra\/RUNBOOK\.md#([a-z0-9-]+)/.exec(a.AlarmDescription)?.[1]));
    for (const kind of ['dlq-depth', 'queue-age', 'function-errors', 'function-throttles', 'api-5xx-rate', 'time-to-notify-p99', 'tracing-dlq-depth', 'tracer-lag']) expect(sections).toContain(kind);
    for (const section of sections) expect(RUNBOOK, `runbook section ${section}`).toMatch(new RegExp(`^<a id="${section}"></a>\\n## `, "m"));
    expect(alarms.filter((a) => /-errors$/.test(a.AlarmName))).toHaveLength(FUNCTIONS.length);
    for (const a of alarms) expect(a.AlarmActions).toHaveLength(1);
    s.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('keeps data and protects it in prod only', () => {
    expect(s.stack.terminationProtection).toBe(s.config.keepData);
    const pools = resourcesOf(s.json, 'AWS::Cognito::UserPool');
    for (const [, p] of pools) expect(p.DeletionPolicy).toBe(s.config.keepData ? 'Retain' : 'Delete');
    const [, domain] = resourcesOf(s.json, 'AWS::OpenSearchService::Domain')[0]!;
    expect(domain.DeletionPolicy).toBe(s.config.keepData ? 'Retain' : 'Delete');
  });
});
