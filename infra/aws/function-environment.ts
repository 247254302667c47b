import type { FunctionSpec, QueueName, SecretName } from '../../backend/src/lambda/functions.js';
import type { StageConfig } from './config/stage-config.js';

/** The deployment's resources as the functions' environment names them (CloudFormation tokens in the stack, real values in tests). */
export interface DeploymentRefs {
  queueUrls: Record<QueueName, string>;
  search: { kind: 'opensearch-service'; node: string } | { kind: 'elastic-cloud'; node: string; apiKeySecretId: string };
  searchSettings: { shards: number; replicas: number; refreshInterval: string };
  userPoolId: string;
  userPoolClientId: string;
  /** Id (ARN) of each of the deployment's secrets. */
  secretIds: Record<SecretName, string>;
  /** The value the API's CloudFront distribution sends in x-origin-verify (a dynamic reference in the stack). */
  edgeOriginSecret: string;
}

/** What each secret is called in the backend's configuration: its id, and the word that says the function has none. */
const SECRET_VARIABLES: Record<SecretName, { id: string; none: string }> = {
  tokenKeys: { id: 'TOKEN_KEYS_SECRET_ID', none: 'TOKEN_KEYS' },
  relayKeys: { id: 'RELAY_KEYS_SECRET_ID', none: 'RELAY_KEYS' },
  phoneHash: { id: 'PHONE_HASH_SECRET_ID', none: 'PHONE_HASH_SECRET' },
};

export function metricsNamespace(config: StageConfig): string {
  return `Proxitrace/${config.stage}`;
}

/**
 * One function's environment: the backend's configuration (README "Configuration") for this
 * deployment. Secrets go by reference, and only to the functions whose registry entry lists them;
 * every other function gets `none`, so it cannot build a key of its own and refuses to use one.
 */
export function functionEnvironment(spec: FunctionSpec, config: StageConfig, refs: DeploymentRefs): Record<string, string> {
  const { search } = refs;
  const searchEnv: Record<string, string> =
    search.kind === 'opensearch-service'
      ? { SEARCH_ENGINE: 'opensearch', SEARCH_NODE: search.node, SEARCH_AUTH: 'sigv4', SEARCH_SIGV4_SERVICE: 'es' }
      : { SEARCH_ENGINE: 'elasticsearch', SEARCH_NODE: search.node, SEARCH_AUTH: 'api-key', SEARCH_API_KEY_SECRET_ID: search.apiKeySecretId };
  const secrets: Record<string, string> = {};
  for (const [name, variables] of Object.entries(SECRET_VARIABLES) as [SecretName, (typeof SECRET_VARIABLES)[SecretName]][]) {
    if (spec.access.secrets?.[name]) secrets[variables.id] = refs.secretIds[name];
    else secrets[variables.none] = 'none';
  }
  const { identity, sms } = config;
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
    DYNAMODB_TABLE_PREFIX: config.prefix,
    SQS_QUEUE_URL: refs.queueUrls.contacts,
    SQS_DLQ_URL: refs.queueUrls.contactDeadLetters,
    SQS_TRACING_DLQ_URL: refs.queueUrls.tracingDeadLetters,
    ...searchEnv,
    SEARCH_INDEX_PREFIX: config.prefix,
    SEARCH_SHARDS: String(refs.searchSettings.shards),
    SEARCH_REPLICAS: String(refs.searchSettings.replicas),
    SEARCH_REFRESH_INTERVAL: refs.searchSettings.refreshInterval,
    SMS_SENDER: 'sns',
    SMS_ALLOWED_CALLING_CODES: sms.allowedCallingCodes.join(','),
    SMS_BUDGET_PER_HOUR: String(sms.budgetPerHour),
    ...(sms.senderId ? { SMS_SENDER_ID: sms.senderId } : {}),
    // Every client's address is its own (behind CloudFront, the viewer's): nobody is exempt from the per-address limits.
    SIGN_IN_UNLIMITED_ADDRESSES: 'none',
    // Only the HTTP functions serve requests, and only those CloudFront relayed.
    ...(spec.trigger.kind === 'http' ? { EDGE_ORIGIN_SECRET: refs.edgeOriginSecret } : {}),
    COGNITO_USER_POOL_ID: refs.userPoolId,
    COGNITO_CLIENT_ID: refs.userPoolClientId,
    // The app client's token lifetimes come from the same values (constructs/identity.ts).
    ACCESS_TOKEN_TTL_HOURS: String(identity.accessTokenHours),
    REFRESH_TOKEN_TTL_DAYS: String(identity.refreshTokenDays),
    OFFICIAL_SESSION_HOURS: String(identity.officialSessionHours),
    OFFICIAL_PHONE_NUMBERS: identity.officialPhoneNumbers.join(','),
    ...secrets,
    TOKEN_KEYS_REFRESH_MINUTES: String(config.tokenKeys.refreshMinutes),
  };
}
