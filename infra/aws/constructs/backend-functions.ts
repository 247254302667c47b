import { join } from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEARCH_HTTP_VERBS } from '../../../backend/src/adapters/search/search-access.js';
import { FUNCTIONS, type FunctionSpec, type QueueAccess, type QueueName, type SecretName, type TableAccess } from '../../../backend/src/lambda/functions.js';
import { BUNDLING, externalModules, LAMBDA_DIR, REPO_ROOT } from '../bundling.js';
import type { StageConfig } from '../config/stage-config.js';
import { functionEnvironment, type DeploymentRefs } from '../function-environment.js';
import type { ContactQueue } from './contact-queue.js';
import type { DataTables } from './data-tables.js';
import type { FunctionRoles } from './function-roles.js';
import type { Identity } from './identity.js';
import type { SearchTarget } from './search-tier.js';
import type { DeploymentSecrets } from './secrets.js';

export interface BackendFunctionsProps {
  config: StageConfig;
  roles: FunctionRoles;
  data: DataTables;
  queue: ContactQueue;
  identity: Identity;
  search: SearchTarget;
  secrets: DeploymentSecrets;
}

/**
 * One NodejsFunction per entry of backend/src/lambda/functions.ts (arm64, Node 24, bundled by
 * esbuild), each with its own log group (retention from the stage), X-Ray as configured, the
 * Powertools environment, and exactly the grants its registry entry lists. Queue, schedule, stream
 * and rotation triggers are wired here; HTTP routes by HttpApi, the deploy-time setup by SearchSetup.
 */
export class BackendFunctions extends Construct {
  readonly functions: ReadonlyMap<string, nodejs.NodejsFunction>;
  readonly specs: readonly FunctionSpec[] = FUNCTIONS;
  /** Failed DynamoDB stream batches, after retries and bisection (created when a function reads a stream). */
  streamFailures?: sqs.Queue;
  /** The deploy step that writes the first relay key file. */
  relayKeysInit?: CustomResource;

  constructor(scope: Construct, id: string, private readonly props: BackendFunctionsProps) {
    super(scope, id);
    this.functions = new Map(FUNCTIONS.map((spec) => [spec.id, this.function(spec)]));
    for (const spec of FUNCTIONS) {
      this.grant(spec);
      this.trigger(spec);
    }
  }

  fn(id: string): nodejs.NodejsFunction {
    const fn = this.functions.get(id);
    if (!fn) throw new Error(`no function ${id}`);
    return fn;
  }

  private function(spec: FunctionSpec): nodejs.NodejsFunction {
    const { config } = this.props;
    const functionName = `${config.prefix}${spec.id}`;
    const logGroup = new logs.LogGroup(this, `${spec.id}-logs`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: config.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = this.props.roles.role(spec.id);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    return new nodejs.NodejsFunction(this, spec.id, {
      functionName,
      description: spec.description,
      entry: join(LAMBDA_DIR, spec.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role,
      logGroup,
      tracing: config.tracing === 'active' ? lambda.Tracing.ACTIVE : lambda.Tracing.PASS_THROUGH,
      environment: functionEnvironment(spec, config, this.refs()),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourceMap,
        sourcesContent: BUNDLING.sourcesContent,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        externalModules: externalModules(spec, this.props.search.kind),
        metafile: true,
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLING.alias).map(([name, path]) => [`--alias:${name}`, path])),
      },
    });
  }

  /** The resources each function's environment names (functionEnvironment: README "Configuration"). */
  private refs(): DeploymentRefs {
    const { identity, search, secrets } = this.props;
    return {
      queueUrls: Object.fromEntries(Object.entries(this.queues()).map(([name, q]) => [name, q.queueUrl])) as Record<QueueName, string>,
      search: search.kind === 'opensearch-service' ? { kind: search.kind, node: search.node } : { kind: search.kind, node: search.node, apiKeySecretId: search.apiKey.secretArn },
      searchSettings: search.settings,
      userPoolId: identity.devicePool.userPoolId,
      userPoolClientId: identity.deviceClient.userPoolClientId,
      secretIds: Object.fromEntries(Object.entries(secrets.secrets).map(([name, secret]) => [name, secret.secretArn])) as Record<SecretName, string>,
      edgeOriginSecret: secrets.edgeOrigin.secretValue.unsafeUnwrap(),
    };
  }

  private queues(): Record<QueueName, sqs.Queue> {
    const { queue } = this.props;
    return { contacts: queue.queue, contactDeadLetters: queue.deadLetterQueue, tracingDeadLetters: queue.tracingDeadLetterQueue };
  }

  private grant(spec: FunctionSpec): void {
    const { data, identity, search, secrets } = this.props;
    const role = this.props.roles.role(spec.id);
    const access = spec.access;
    for (const [name, level] of Object.entries(access.tables ?? {}) as [keyof DataTables['tables'], TableAccess][]) {
      const table = data.tables[name];
      if (level === 'read') table.grantReadData(role);
      else if (level === 'write') table.grantWriteData(role);
      else if (level === 'read-write') table.grantReadWriteData(role);
      else role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }));
    }
    const queues = this.queues();
    for (const [name, level] of Object.entries(access.queues ?? {}) as [QueueName, QueueAccess][]) {
      const q = queues[name];
      if (level === 'send' || level === 'send-consume') q.grantSendMessages(role);
      if (level === 'consume' || level === 'send-consume') q.grantConsumeMessages(role);
      if (level === 'stats') role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: [q.queueArn] }));
    }
    if (access.search) {
      if (search.kind === 'opensearch-service') {
        const actions = SEARCH_HTTP_VERBS[access.search].map((verb) => `es:ESHttp${verb}`);
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [`${search.domain.domainArn}/*`] }));
      } else {
        search.apiKey.grantRead(role);
      }
    }
    if (access.cognito?.length) {
      const actions = [...new Set(access.cognito)].map((a) => `cognito-idp:${a}`);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [identity.devicePool.userPoolArn] }));
    }
    if (access.sms) {
      // SMS to a phone number has no resource ARN; topics (which have one) are denied.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['sns:Publish'], resources: [Stack.of(this).formatArn({ service: 'sns', resource: '*', region: '*', account: '*' })] }),
      );
    }
    for (const [name, level] of Object.entries(access.secrets ?? {}) as [SecretName, NonNullable<FunctionSpec['access']['secrets']>[SecretName]][]) {
      const secret = secrets.secrets[name];
      // The value only: the functions never describe a secret (grantRead would add DescribeSecret); the keys are AWS-managed.
      if (level === 'read') role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
      if (level === 'initialise') role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], resources: [secret.secretArn] }));
      // `rotate`: the rotation schedule grants the rotation steps (trigger below).
    }
  }

  private trigger(spec: FunctionSpec): void {
    const { config, queue, data, secrets } = this.props;
    const fn = this.fn(spec.id);
    const trigger = spec.trigger;
    switch (trigger.kind) {
      case 'queue':
        fn.addEventSource(
          new SqsEventSource(queue.queue, {
            batchSize: trigger.batchSize,
            maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
            reportBatchItemFailures: true,
            maxConcurrency: config.consumer.maxConcurrency,
          }),
        );
        return;
      case 'schedule':
        new scheduler.Schedule(this, `${spec.id}-schedule`, {
          scheduleName: `${config.prefix}${trigger.name}`,
          description: spec.description,
          schedule: scheduler.ScheduleExpression.rate(Duration.minutes(trigger.everyMinutes)),
          target: new targets.LambdaInvoke(fn, { retryAttempts: 2, maxEventAge: Duration.minutes(trigger.everyMinutes) }),
        });
        return;
      case 'table-stream': {
        const table = data.tables[trigger.table];
        if (!table.tableStreamArn) throw new Error(`${spec.id} reads the stream of ${trigger.table}, whose definition declares none`);
        this.streamFailures ??= new sqs.Queue(this, 'StreamFailures', {
          queueName: `${config.prefix}stream-failures`,
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        fn.addEventSource(
          new DynamoEventSource(table, {
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
            batchSize: trigger.batchSize,
            maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
            parallelizationFactor: config.tracer.parallelizationFactor,
            bisectBatchOnError: true,
            retryAttempts: 10,
            maxRecordAge: Duration.hours(24),
            reportBatchItemFailures: true,
            onFailure: new SqsDlq(this.streamFailures),
          }),
        );
        return;
      }
      case 'secret-rotation':
        secrets.secrets.tokenKeys.addRotationSchedule(`${spec.id}-rotation`, { rotationLambda: fn, automaticallyAfter: Duration.days(config.tokenKeys.rotationDays) });
        return;
      case 'deploy':
        if (trigger.step === 'relay-keys') this.initialiseRelayKeys(fn);
        return;
      case 'http':
        return;
    }
  }

  /**
   * Writes the first relay key file before any function that reads it is created (a cold start
   * with the placeholder would fail); later deployments keep the keys already there.
   */
  private initialiseRelayKeys(init: nodejs.NodejsFunction): void {
    this.relayKeysInit = new CustomResource(this, 'RelayKeysInit', {
      serviceToken: init.functionArn,
      resourceType: 'Custom::ProxitraceRelayKeys',
      properties: { secret: this.props.secrets.secrets.relayKeys.secretArn },
    });
    for (const spec of FUNCTIONS) {
      if (spec.access.secrets?.relayKeys === 'read') this.fn(spec.id).node.addDependency(this.relayKeysInit);
    }
  }
}

export { metricsNamespace } from '../function-environment.js';
