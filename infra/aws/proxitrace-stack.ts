import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { deployStep, FUNCTIONS } from '../../backend/src/lambda/functions.js';
import { retainCdkProviderLogs } from './cdk-provider-logs.js';
import type { StageConfig } from './config/stage-config.js';
import { BackendFunctions } from './constructs/backend-functions.js';
import { ContactQueue } from './constructs/contact-queue.js';
import { ApiDistribution } from './constructs/api-distribution.js';
import { DataTables } from './constructs/data-tables.js';
import { FunctionRoles } from './constructs/function-roles.js';
import { HttpApi } from './constructs/http-api.js';
import { Identity } from './constructs/identity.js';
import { Observability } from './constructs/observability.js';
import { SearchSetup } from './constructs/search-setup.js';
import { SearchTier } from './constructs/search-tier.js';
import { DeploymentSecrets } from './constructs/secrets.js';
import { suppressReviewedFindings } from './nag-suppressions.js';

export interface ProxitraceStackProps extends StackProps {
  config: StageConfig;
  /** The WAF web ACL of the API's distribution, from the stage's edge stack in us-east-1. */
  webAclArn: string;
}

/**
 * The whole backend of one stage. Stateful first (tables, queues, pools, secrets, search tier:
 * retained and protected when the stage keeps its data), then stateless (functions, API, setup,
 * alarms and dashboard). One stack: the search domain's access policy and role mappings need the
 * functions' roles and the functions need the domain, which two stacks could only share through
 * exports that then block every change. Only the WAF web ACL lives apart, in the edge stack in
 * us-east-1, because CloudFront takes it from there alone.
 */
export class ProxitraceStack extends Stack {
  constructor(scope: Construct, id: string, props: ProxitraceStackProps) {
    const { config } = props;
    super(scope, id, { ...props, crossRegionReferences: true, terminationProtection: config.keepData, description: `Proxitrace contact-tracing backend, stage ${config.stage}` });

    const data = new DataTables(this, 'Tables', { config });
    const consumer = only(FUNCTIONS.filter((f) => f.trigger.kind === 'queue'), 'queue consumer');
    const queue = new ContactQueue(this, 'ContactQueue', { config, consumerTimeoutSeconds: consumer.timeoutSeconds });
    const identity = new Identity(this, 'Identity', { config });
    const secrets = new DeploymentSecrets(this, 'Secrets', { config });
    const roles = new FunctionRoles(this, 'FunctionRoles');
    const setupSpec = deployStep('search-setup');
    const search = new SearchTier(this, 'Search', {
      config,
      identity,
      masterRole: roles.role(setupSpec.id),
      clientRoles: FUNCTIONS.filter((f) => f.access.search && f.access.search !== 'admin').map((f) => roles.role(f.id)),
    });

    const functions = new BackendFunctions(this, 'Functions', { config, roles, data, queue, identity, search: search.target, secrets });
    const api = new HttpApi(this, 'Api', { config, functions, identity });
    const edge = new ApiDistribution(this, 'Edge', { config, api, webAclArn: props.webAclArn, originSecret: secrets.edgeOrigin.secretValue.unsafeUnwrap() });
    const setup = new SearchSetup(this, 'SearchSetup', { config, functions, roles, officialsRole: identity.officialsRole });
    // No consumer or stream reader may write contacts before the index template exists.
    for (const fn of functions.functions.values()) {
      for (const mapping of fn.node.findAll().filter((c) => c instanceof lambda.EventSourceMapping)) mapping.node.addDependency(setup.resource);
    }
    const observability = new Observability(this, 'Observability', { config, functions, queue, api, search: search.target });

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('ApiUrl', edge.url, 'Base URL of the device API, through CloudFront and its WAF: the bridge --api, the load tool --target');
    output('Region', this.region, 'AWS_REGION for tools pointed at this deployment');
    output('UserPoolId', identity.devicePool.userPoolId, 'Device user pool (COGNITO_USER_POOL_ID)');
    output('UserPoolClientId', identity.deviceClient.userPoolClientId, 'Device app client (COGNITO_CLIENT_ID; the load tool credentials file clientId)');
    output('TablePrefix', config.prefix, 'DYNAMODB_TABLE_PREFIX and SEARCH_INDEX_PREFIX');
    output('ContactQueueUrl', queue.queue.queueUrl, 'SQS_QUEUE_URL');
    output('SearchNode', search.target.node, 'SEARCH_NODE');
    output('TokenKeysSecret', secrets.secrets.tokenKeys.secretArn, 'TOKEN_KEYS_SECRET_ID');
    output('RelayKeysSecret', secrets.secrets.relayKeys.secretArn, 'RELAY_KEYS_SECRET_ID');
    output('PhoneHashSecret', secrets.secrets.phoneHash.secretArn, 'PHONE_HASH_SECRET_ID');
    output('TracingDeadLetterQueueUrl', queue.tracingDeadLetterQueue.queueUrl, 'SQS_TRACING_DLQ_URL');
    output('OfficialsUserPoolId', identity.officialsPool.userPoolId, "Officials' Dashboards pool: create officials here (TOTP required)");
    if (search.target.kind === 'opensearch-service') output('DashboardsUrl', `${search.target.node}/_dashboards/`, 'OpenSearch Dashboards (officials sign in with Cognito)');
    output('AlarmTopicArn', observability.topic.topicArn, 'Subscribe on-call here');
    output('DashboardName', observability.dashboard.dashboardName, 'CloudWatch dashboard');

    retainCdkProviderLogs(this, config);
    suppressReviewedFindings(this, config);
  }
}

function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`the function registry must have exactly one ${what}, has ${items.length}`);
  return items[0]!;
}
