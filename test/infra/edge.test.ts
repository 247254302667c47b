import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_KEYS, routeAccess } from '../../backend/src/api/route-access.js';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import { FUNCTIONS } from '../../backend/src/lambda/functions.js';
import { validateStageConfig } from '../../infra/aws/config/stage-config.js';
import { stageConfig } from '../../infra/aws/config/stages.js';
import { SIGN_IN_CHALLENGE_ROUTES, signInPathPattern, webAclRules } from '../../infra/aws/constructs/web-acl-rules.js';
import { EDGE_REGION } from '../../infra/aws/stack-names.js';
import { resourcesOf, synthesize, type Synthesized } from './support/synth.js';

/** CloudFront's managed policies, by the ids CloudFormation takes. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const pathOf = (route: string) => route.split(' ')[1]!;

describe.each(['dev', 'prod'])('the edge of stage %s: CloudFront and its WAF', (stage) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(stageConfig(stage, {}), { bundle: false });
  }, 240_000);

  const webAcl = () => {
    const acls = resourcesOf(s.edge.json, 'AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    return acls[0]!;
  };
  const rule = (name: string) => webAcl()[1].Properties.Rules.find((r: { Name: string }) => r.Name === name);
  const distribution = () => {
    const found = resourcesOf(s.json, 'AWS::CloudFront::Distribution');
    expect(found).toHaveLength(1);
    return found[0]![1].Properties.DistributionConfig;
  };

  it('puts the web ACL, scoped to CloudFront, in a stack of its own in us-east-1, and nothing of WAF in the stage region', () => {
    expect(s.synthError).toBeUndefined();
    expect(s.nagFindings).toEqual([]);
    expect(s.edge.stack.region).toBe(EDGE_REGION);
    expect(EDGE_REGION).toBe('us-east-1');
    expect(s.stack.region).toBe(s.config.region);
    expect(webAcl()[1].Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    expect(resourcesOf(s.json, 'AWS::WAFv2::WebACL')).toEqual([]);
    expect(resourcesOf(s.json, 'AWS::WAFv2::WebACLAssociation')).toEqual([]);
  });

  it("attaches that web ACL to the API's distribution, through the cross-region reference of the ACL's own ARN", () => {
    const [aclId] = webAcl();
    const [writerId, writer] = resourcesOf(s.edge.json, 'Custom::CrossRegionExportWriter')[0]!;
    expect(writer.Properties.WriterProps.region).toBe(s.config.region);
    const exported = Object.entries(writer.Properties.WriterProps.exports as Record<string, unknown>).filter(([, value]) => JSON.stringify(value) === JSON.stringify({ 'Fn::GetAtt': [aclId, 'Arn'] }));
    expect(exported, writerId).toHaveLength(1);
    const [parameter] = exported[0]!;
    const [readerId, reader] = resourcesOf(s.json, 'Custom::CrossRegionExportReader')[0]!;
    expect(reader.Properties.ReaderProps).toMatchObject({ region: s.config.region, imports: { [parameter]: `{{resolve:ssm:${parameter}}}` } });
    expect(distribution().WebACLId).toEqual({ 'Fn::GetAtt': [readerId, parameter] });
  });

  it('limits requests per client address on exactly the sign-in paths, and answers 429 in the API error shape', () => {
    const rate = rule('sign-in-rate');
    expect(rate.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: s.config.edge.signInRequestsPerAddress, EvaluationWindowSec: s.config.edge.signInWindowSeconds });
    expect(rate.Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'sign-in-rate-limited' } } });
    const body = JSON.parse(webAcl()[1].Properties.CustomResponseBodies['sign-in-rate-limited'].Content);
    expect(body).toEqual({ error: { code: 'rate_limited', message: expect.any(String), details: { limit: 'edge_sign_in_per_address', retryAfterSeconds: s.config.edge.signInWindowSeconds } } });

    const scope = rate.Statement.RateBasedStatement.ScopeDownStatement.RegexMatchStatement;
    expect(scope.FieldToMatch).toEqual({ UriPath: {} });
    expect(scope.TextTransformations).toEqual([
      { Priority: 0, Type: 'URL_DECODE' },
      { Priority: 1, Type: 'NORMALIZE_PATH' },
    ]);
    const pattern = new RegExp(scope.RegexString);
    const counted = new Set(SIGN_IN_CHALLENGE_ROUTES.map(pathOf));
    for (const route of ROUTE_KEYS) {
      expect(pattern.test(pathOf(route)), route).toBe(counted.has(pathOf(route)));
      expect(pattern.test(`${pathOf(route)}/`), `${route}/`).toBe(counted.has(pathOf(route)));
    }
    for (const near of ['/v1/auth/smsx', '/v1/auth/sms/x', '/x/v1/auth/sms', '/v1/auth/refresh']) expect(pattern.test(near), near).toBe(false);
  });

  it('keeps the limit above what the backend itself lets one address spend in an hour, so the WAF stops floods only', () => {
    const signIn = FUNCTIONS.find((f) => f.trigger.kind === 'http' && f.trigger.route === 'POST /v1/auth/sms')!;
    const [, fn] = resourcesOf(s.json, 'AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === `${s.config.prefix}${signIn.id}`)!;
    const env = fn.Properties.Environment.Variables;
    // What the deployed function counts per address: the stack's values, or the backend's defaults where it sets none.
    const backend = loadBackendConfig({ SIGN_IN_SMS_PER_ADDRESS_PER_HOUR: env.SIGN_IN_SMS_PER_ADDRESS_PER_HOUR, SIGN_IN_VERIFY_PER_ADDRESS_PER_HOUR: env.SIGN_IN_VERIFY_PER_ADDRESS_PER_HOUR });
    const perHour = backend.signIn.limits.smsPerAddress.limit + backend.signIn.limits.verifyPerAddress.limit;
    expect(s.config.edge.signInRequestsPerAddress).toBeGreaterThan(perHour);
  });

  it('runs the IP reputation list first, then the rate rule, the known bad inputs and the core rule set, counting only the two core rules the API’s clients break', () => {
    const rules = webAcl()[1].Properties.Rules as { Name: string; Priority: number; OverrideAction?: unknown; Statement: any }[];
    expect(rules.map((r) => [r.Priority, r.Name])).toEqual([
      [0, 'ip-reputation'],
      [1, 'sign-in-rate'],
      [2, 'known-bad-inputs'],
      [3, 'common'],
    ]);
    const groups = Object.fromEntries(rules.filter((r) => r.Statement.ManagedRuleGroupStatement).map((r) => [r.Name, r]));
    expect(Object.values(groups).map((r) => r.Statement.ManagedRuleGroupStatement.Name)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet']);
    for (const r of Object.values(groups)) {
      expect(r.Statement.ManagedRuleGroupStatement.VendorName).toBe('AWS');
      expect(r.OverrideAction, r.Name).toEqual(s.config.edge.managedRules === 'block' ? { None: {} } : { Count: {} });
    }
    expect(groups.common!.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } },
      { Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } },
    ]);
    for (const r of [...rules, webAcl()[1].Properties] as { VisibilityConfig: unknown }[]) expect(r.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true });
  });

  it('logs what a rule blocked or counted to a retained log group in us-east-1, Authorization redacted', () => {
    const [aclId] = webAcl();
    const [, logging] = resourcesOf(s.edge.json, 'AWS::WAFv2::LoggingConfiguration')[0]!;
    const [, group] = resourcesOf(s.edge.json, 'AWS::Logs::LogGroup').find(([, g]) => g.Properties.LogGroupName.startsWith('aws-waf-logs-'))!;
    expect(group.Properties).toEqual({ LogGroupName: `aws-waf-logs-${s.config.prefix}api`, RetentionInDays: s.config.logRetentionDays });
    expect(logging.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).toContain(`:logs:us-east-1:`);
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).toContain(`:log-group:aws-waf-logs-${s.config.prefix}api"`);
    expect(logging.Properties.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }]);
    expect(logging.Properties.LoggingFilter).toEqual({
      DefaultBehavior: 'DROP',
      Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }] }],
    });
  });

  it("reaches this stack's HTTP API over TLS 1.2 with the edge secret, caching nothing and forwarding every viewer header but Host", () => {
    const config = distribution();
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      AllowedMethods: expect.arrayContaining(['GET', 'POST', 'DELETE', 'OPTIONS']),
    });
    expect(config.CacheBehaviors).toBeUndefined();
    expect(config.Origins).toHaveLength(1);
    const [origin] = config.Origins;
    const [apiId] = resourcesOf(s.json, 'AWS::ApiGatewayV2::Api')[0]!;
    expect(origin.DomainName).toEqual({ 'Fn::Join': ['', [{ Ref: apiId }, `.execute-api.${s.config.region}.`, { Ref: 'AWS::URLSuffix' }]] });
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    const [secretId] = resourcesOf(s.json, 'AWS::SecretsManager::Secret').find(([, sec]) => sec.Properties.Name === `${s.config.prefix}edge-origin`)!;
    const reference = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] };
    expect(origin.OriginCustomHeaders).toEqual([{ HeaderName: 'x-origin-verify', HeaderValue: reference }]);
    // The HTTP functions expect that same value; the others serve no request and are not told it.
    for (const spec of FUNCTIONS) {
      const [, fn] = resourcesOf(s.json, 'AWS::Lambda::Function').find(([, f]) => f.Properties.FunctionName === `${s.config.prefix}${spec.id}`)!;
      expect(fn.Properties.Environment.Variables.EDGE_ORIGIN_SECRET, spec.id).toEqual(spec.trigger.kind === 'http' ? reference : undefined);
    }
  });

  it('gives clients the distribution as ApiUrl, and names the execute-api endpoint only as the origin', () => {
    const [distributionId] = resourcesOf(s.json, 'AWS::CloudFront::Distribution')[0]!;
    expect(s.json.Outputs.ApiUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] });
    const origin = Object.entries(s.json.Outputs as Record<string, { Value: unknown }>).filter(([, o]) => JSON.stringify(o.Value).includes('.execute-api.'));
    expect(origin.map(([id]) => id)).toEqual([expect.stringMatching(/^ApiOriginUrl/)]);
  });

  it("shows on the stage's dashboard what each rule blocked and counted, from us-east-1 where CloudFront's WAF reports", () => {
    const [, dashboard] = resourcesOf(s.json, 'AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody).replaceAll('\\"', '"');
    for (const r of webAcl()[1].Properties.Rules as { Name: string }[]) {
      for (const metric of ['BlockedRequests', 'CountedRequests']) {
        const widgetMetric = `["AWS/WAFV2","${metric}","Rule","${r.Name}","WebACL","${s.config.prefix}api",{"label":"${r.Name}","region":"us-east-1","period":60,"stat":"Sum"}]`;
        expect(body.includes(widgetMetric), `${metric} ${r.Name}`).toBe(true);
      }
    }
  });

  it('without a domain of its own, serves on *.cloudfront.net, the one case its TLS acknowledgement covers', () => {
    expect(s.config.edge.domain).toBeUndefined();
    expect(distribution().ViewerCertificate).toBeUndefined();
  });

  it("logs CDK's own deploy-time functions (the cross-region reference) to a group with the stage's retention", () => {
    for (const json of [s.json, s.edge.json]) {
      const providers = resourcesOf(json, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('CustomCrossRegionExport'));
      expect(providers).toHaveLength(1);
      const groupRef = providers[0]![1].Properties.LoggingConfig.LogGroup.Ref as string;
      expect(json.Resources[groupRef].Properties.RetentionInDays).toBe(s.config.logRetentionDays);
    }
  });
});

describe('the edge with a domain of its own', () => {
  it('serves the names on their ACM certificate with TLS 1.2 or later, SNI, and gives that name as ApiUrl', () => {
    const dev = stageConfig('dev', {});
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
    const config = validateStageConfig({ ...dev, edge: { ...dev.edge, domain: { names: ['api.dev.agency.example'], certificateArn } } }, 'dev-domain');
    const s = synthesize(config, { bundle: false });
    expect(s.synthError).toBeUndefined();
    expect(s.nagFindings).toEqual([]);
    const [, distribution] = resourcesOf(s.json, 'AWS::CloudFront::Distribution')[0]!;
    expect(distribution.Properties.DistributionConfig).toMatchObject({
      Aliases: ['api.dev.agency.example'],
      ViewerCertificate: { AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
    expect(s.json.Outputs.ApiUrl.Value).toBe('https://api.dev.agency.example');
  }, 240_000);

  it('refuses a certificate outside us-east-1 and a host name that is not one, naming the fields', () => {
    const dev = stageConfig('dev', {});
    const domain = { names: ['API.example'], certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' };
    expect(() => validateStageConfig({ ...dev, edge: { ...dev.edge, domain } }, 'dev')).toThrow(/edge\.domain\.names\.0[\s\S]*edge\.domain\.certificateArn: an ACM certificate ARN in us-east-1/);
    expect(() => validateStageConfig({ ...dev, edge: { ...dev.edge, signInRequestsPerAddress: 5, signInWindowSeconds: 30 } }, 'dev')).toThrow(/edge\.signInRequestsPerAddress[\s\S]*edge\.signInWindowSeconds/);
  });
});

describe('the sign-in paths the WAF counts', () => {
  it('are every route that sends an SMS challenge or answers one: the public sign-in routes but refresh, and the owner check', () => {
    const publicSignIn = ROUTE_KEYS.filter((k) => routeAccess(k) === 'none' && k.startsWith('POST /v1/auth/') && k !== 'POST /v1/auth/refresh');
    expect([...SIGN_IN_CHALLENGE_ROUTES].sort()).toEqual([...publicSignIn, 'POST /v1/dedicated-devices/owner-verification'].sort());
    // Every HTTP function that may send an SMS sits behind the rule.
    const smsRoutes = FUNCTIONS.flatMap((f) => (f.trigger.kind === 'http' && f.access.sms ? [f.trigger.route] : []));
    expect(smsRoutes.length).toBeGreaterThan(0);
    for (const route of smsRoutes) expect(SIGN_IN_CHALLENGE_ROUTES as readonly string[]).toContain(route);
    expect(signInPathPattern().length).toBeLessThanOrEqual(512);
  });

  it('are only counted, not blocked, by the managed groups of a stage that soaks them first (managedRules: count); the rate rule still blocks', () => {
    const dev = stageConfig('dev', {});
    const rules = webAclRules({ ...dev, edge: { ...dev.edge, managedRules: 'count' } });
    expect(rules.filter((r) => r.overrideAction).map((r) => r.overrideAction)).toEqual([{ count: {} }, { count: {} }, { count: {} }]);
    expect(rules.find((r) => r.name === 'sign-in-rate')!.action).toMatchObject({ block: {} });
  });
});
