import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
import { FUNCTIONS, type FunctionSpec, type TableAccess } from '../../../backend/src/lambda/functions.js';
import { BUNDLING, externalModules, LAMBDA_DIR, REPO_ROOT } from '../bundling.js';
import type { StageConfig } from '../config/stage-config.js';
import type { ContactQueue } from './contact-queue.js';
import type { DataTables } from './data-tables.js';
import type { FunctionRoles } from './function-roles.js';
import type { Identity } from './identity.js';
import type { SearchTarget } from './search-tier.js';
import type { TokenKeys } from './token-keys.js';

export interface BackendFunctionsProps {
  config: StageConfig;
  roles: FunctionRoles;
  data: DataTables;
  queue: ContactQueue;
  identity: Identity;
  search: SearchTarget;
  tokenKeys: TokenKeys;
}

/** Cognito admin actions by the registry's `userPool` access. */
const USER_POOL_ACTIONS = {
  'sign-in': ['AdminCreateUser', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup', 'AdminSetUserPassword', 'AdminInitiateAuth'],
  'delete-user': ['AdminDeleteUser'],
} as const;

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
      environment: this.environment(spec),
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
      },
    });
  }

  /** The backend's configuration (README "Configuration") for this deployment; secrets by reference only. */
  private environment(spec: FunctionSpec): Record<string, string> {
    const { config, queue, identity, search, tokenKeys } = this.props;
    const searchEnv: Record<string, string> =
      search.kind === 'opensearch-service'
        ? { SEARCH_ENGINE: 'opensearch', SEARCH_NODE: search.node, SEARCH_AUTH: 'sigv4', SEARCH_SIGV4_SERVICE: 'es' }
        : { SEARCH_ENGINE: 'elasticsearch', SEARCH_NODE: search.node, SEARCH_AUTH: 'api-key', SEARCH_API_KEY_SECRET_ID: search.apiKey.secretArn };
    return {
      BACKEND: 'aws',
      LOG_LEVEL: config.logLevel,
      POWERTOOLS_SERVICE_NAME: 'proxitrace',
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(config),
      POWERTOOLS_METRICS_FUNCTION_NAME: `${config.prefix}${spec.id}`,
      NODE_OPTIONS: '--enable-source-maps',
      DATA_DIR: '/tmp',
      RETENTION_DAYS: String(config.retentionDays),
      QUEUE_MAX_RECEIVES: String(config.queue.maxReceives),
      OFFICIAL_PHONE_NUMBERS: config.identity.officialPhoneNumbers.join(','),
      DYNAMODB_TABLE_PREFIX: config.prefix,
      SQS_QUEUE_URL: queue.queue.queueUrl,
      SQS_DLQ_URL: queue.deadLetterQueue.queueUrl,
      ...searchEnv,
      SEARCH_INDEX_PREFIX: config.prefix,
      SEARCH_SHARDS: String(search.settings.shards),
      SEARCH_REPLICAS: String(search.settings.replicas),
      SEARCH_REFRESH_INTERVAL: search.settings.refreshInterval,
      SMS_SENDER: config.sms.sender,
      ...(config.sms.senderId ? { SMS_SENDER_ID: config.sms.senderId } : {}),
      COGNITO_USER_POOL_ID: identity.devicePool.userPoolId,
      COGNITO_CLIENT_ID: identity.deviceClient.userPoolClientId,
      ...(spec.access.tokenKeys ? { TOKEN_KEYS_SECRET_ID: tokenKeys.secret.secretArn } : { TOKEN_KEYS: 'none' }),
      TOKEN_KEYS_REFRESH_MINUTES: String(config.tokenKeys.refreshMinutes),
    };
  }

  private grant(spec: FunctionSpec): void {
    const { data, queue, identity, search, tokenKeys } = this.props;
    const role = this.props.roles.role(spec.id);
    const access = spec.access;
    for (const [name, level] of Object.entries(access.tables ?? {}) as [keyof DataTables['tables'], TableAccess][]) {
      const table = data.tables[name];
      if (level === 'read') table.grantReadData(role);
      else if (level === 'write') table.grantWriteData(role);
      else if (level === 'read-write') table.grantReadWriteData(role);
      else role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }));
    }
    const queueGrant = (q: sqs.Queue, level: 'send' | 'stats' | undefined) => {
      if (level === 'send') q.grantSendMessages(role);
      if (level === 'stats') role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: [q.queueArn] }));
    };
    queueGrant(queue.queue, access.queue);
    queueGrant(queue.deadLetterQueue, access.deadLetterQueue);
    if (access.search) {
      if (search.kind === 'opensearch-service') {
        const actions = SEARCH_HTTP_VERBS[access.search].map((verb) => `es:ESHttp${verb}`);
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [`${search.domain.domainArn}/*`] }));
      } else {
        search.apiKey.grantRead(role);
      }
    }
    if (access.userPool) {
      const actions = USER_POOL_ACTIONS[access.userPool].map((a) => `cognito-idp:${a}`);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [identity.devicePool.userPoolArn] }));
    }
    if (access.sms) {
      // SMS to a phone number has no resource ARN; topics (which have one) are denied.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['sns:Publish'], resources: [Stack.of(this).formatArn({ service: 'sns', resource: '*', region: '*', account: '*' })] }),
      );
    }
    if (access.tokenKeys === 'read') tokenKeys.secret.grantRead(role);
  }

  private trigger(spec: FunctionSpec): void {
    const { config, queue, data, tokenKeys } = this.props;
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
        tokenKeys.secret.addRotationSchedule(`${spec.id}-rotation`, { rotationLambda: fn, automaticallyAfter: Duration.days(config.tokenKeys.rotationDays) });
        return;
      case 'http':
      case 'deploy':
        return;
    }
  }
}

export function metricsNamespace(config: StageConfig): string {
  return `Proxitrace/${config.stage}`;
}
