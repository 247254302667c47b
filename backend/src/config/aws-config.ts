import * as z from 'zod';
import { choice, integer } from './env-schema.js';

/**
 * The settings of `BACKEND=aws`: where the AWS services (or their local stand-ins) are and what
 * the resources are called. Parsed only when BACKEND=aws; every missing variable is reported.
 */
const required = (what: string) => z.string({ error: `is required when BACKEND=aws (${what})` }).trim().min(1, `is required when BACKEND=aws (${what})`);
const HTTP = /^https?$/;
const url = (what: string) => required(what).pipe(z.url({ protocol: HTTP, error: 'must be an http(s) URL such as http://127.0.0.1:9324' }));
const optionalUrl = z.url({ protocol: HTTP, error: 'must be an http(s) URL such as http://127.0.0.1:8000' }).optional();

const PHONE_HASH_KEY_RULE = 'must be base64 of at least 32 random bytes (openssl rand -base64 32), or none';

/**
 * The phone-hash key from its base64 text (PHONE_HASH_SECRET, or the secret's value: the deployment
 * has Secrets Manager generate 64 letters and digits, the base64 of 48 bytes); undefined when shorter
 * than 32 bytes or not base64.
 */
export function phoneHashKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, 'base64');
  return key.length >= 32 ? key : undefined;
}

const awsEnvSchema = z.object({
    AWS_REGION: required('the region of every AWS client, e.g. eu-west-1'),
    AWS_ACCESS_KEY_ID: z.string().optional(),
    AWS_SECRET_ACCESS_KEY: z.string().optional(),
    AWS_SESSION_TOKEN: z.string().optional(),
    DYNAMODB_TABLE_PREFIX: z.string().trim().optional().default('proxitrace-'),
    DYNAMODB_ENDPOINT: optionalUrl,
    SQS_QUEUE_URL: url('the contact queue'),
    SQS_DLQ_URL: url("the contact queue's dead-letter queue"),
    SQS_TRACING_DLQ_URL: url("the tracer's dead-letter queue"),
    SQS_ENDPOINT: optionalUrl,
    SQS_WAIT_TIME_SECONDS: integer(5, { min: 0, max: 20 }),
    SQS_CONSUMER_CONCURRENCY: integer(2, { min: 1, max: 64 }),
    SQS_BATCHING_WINDOW_MS: integer(500, { min: 0, max: 300_000 }),
    SEARCH_ENGINE: choice(['opensearch', 'elasticsearch'], 'opensearch'),
    SEARCH_NODE: url('the OpenSearch or Elasticsearch endpoint'),
    SEARCH_AUTH: choice(['none', 'sigv4', 'api-key', 'basic'], 'none'),
    SEARCH_SIGV4_SERVICE: choice(['es', 'aoss'], 'es'),
    SEARCH_API_KEY: z.string().trim().min(1, 'must not be empty').optional(),
    SEARCH_API_KEY_SECRET_ID: z.string().trim().min(1, 'must not be empty').optional(),
    SEARCH_USERNAME: z.string().trim().min(1, 'must not be empty').optional(),
    SEARCH_PASSWORD: z.string().min(1, 'must not be empty').optional(),
    SEARCH_INDEX_PREFIX: z.string().trim().toLowerCase().optional().default('proxitrace-'),
    SEARCH_SHARDS: integer(1, { min: 1, max: 64 }),
    SEARCH_REPLICAS: integer(0, { min: 0, max: 8 }),
    SEARCH_REFRESH_INTERVAL: z.string().trim().regex(/^\d+(ms|s|m)$/, 'must be a duration such as 1s or 30s').optional().default('1s'),
    SMS_SENDER: choice(['log', 'sns'], 'sns'),
    SNS_ENDPOINT: optionalUrl,
    SMS_SENDER_ID: z.string().trim().regex(/^[A-Za-z0-9]{1,11}$/, 'must be 1–11 letters or digits').optional(),
    COGNITO_USER_POOL_ID: required('the user pool devices sign in to'),
    COGNITO_CLIENT_ID: required('an app client allowing ADMIN_USER_PASSWORD_AUTH'),
    COGNITO_ENDPOINT: optionalUrl,
    COGNITO_ISSUER: optionalUrl,
    COGNITO_JWKS_URL: optionalUrl,
    TOKEN_KEYS: z.string().optional(),
    TOKEN_KEYS_FILE: z.string().optional(),
    PHONE_HASH_SECRET: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || v.toLowerCase() === 'none' || phoneHashKey(v) !== undefined, PHONE_HASH_KEY_RULE),
    PHONE_HASH_SECRET_ID: z.string().trim().min(1, 'must not be empty').optional(),
    RELAY_KEYS: z.string().optional(),
    RELAY_KEYS_FILE: z.string().optional(),
    RELAY_KEYS_SECRET_ID: z.string().trim().min(1, 'must not be empty').optional(),
    TOKEN_KEYS_SECRET_ID: z.string().trim().min(1, 'must not be empty').optional(),
    TOKEN_KEYS_REFRESH_MINUTES: integer(10, { min: 1, max: 1440 }),
    SECRETS_MANAGER_ENDPOINT: optionalUrl,
});

type AwsEnv = z.infer<typeof awsEnvSchema>;


/** Parses the BACKEND=aws settings; the issues include the cross-field rules even when fields are missing. */
export function parseAwsEnv(env: Record<string, string>): { data?: AwsEnv; issues: z.core.$ZodIssue[] } {
  const parsed = awsEnvSchema.safeParse(env);
  const issues: z.core.$ZodIssue[] = [...(parsed.error?.issues ?? [])];
  const custom = (name: string, message: string) => issues.push({ code: 'custom', path: [name], message, input: env[name] });
  if ((env.AWS_ACCESS_KEY_ID === undefined) !== (env.AWS_SECRET_ACCESS_KEY === undefined)) {
    custom(
      env.AWS_ACCESS_KEY_ID === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together (or leave both unset for the default credential chain)',
    );
  }
  const engine = (env.SEARCH_ENGINE ?? 'opensearch').trim().toLowerCase();
  const auth = (env.SEARCH_AUTH ?? 'none').trim().toLowerCase();
  if (auth === 'sigv4' && engine !== 'opensearch') {
    custom('SEARCH_AUTH', 'sigv4 signs requests for Amazon OpenSearch Service; with SEARCH_ENGINE=elasticsearch use api-key or basic');
  }
  if (auth === 'api-key' && engine !== 'elasticsearch') {
    custom('SEARCH_AUTH', 'api-key is for SEARCH_ENGINE=elasticsearch; OpenSearch takes sigv4 (Amazon OpenSearch Service) or basic');
  }
  if (auth === 'api-key' && env.SEARCH_API_KEY === undefined && env.SEARCH_API_KEY_SECRET_ID === undefined) {
    custom('SEARCH_API_KEY', 'SEARCH_API_KEY or SEARCH_API_KEY_SECRET_ID is required when SEARCH_AUTH=api-key (the encoded API key, or the secret holding it)');
  }
  if (auth === 'basic') {
    for (const name of ['SEARCH_USERNAME', 'SEARCH_PASSWORD']) if (env[name] === undefined) custom(name, 'is required when SEARCH_AUTH=basic');
  }
  if (env.TOKEN_KEYS === undefined && env.TOKEN_KEYS_FILE === undefined && env.TOKEN_KEYS_SECRET_ID === undefined) {
    custom(
      'TOKEN_KEYS',
      'TOKEN_KEYS, TOKEN_KEYS_FILE or TOKEN_KEYS_SECRET_ID is required when BACKEND=aws: every instance must encrypt and decrypt tokens with the same keys (TOKEN_KEYS=none for a process that never does)',
    );
  }
  if (env.RELAY_KEYS === undefined && env.RELAY_KEYS_FILE === undefined && env.RELAY_KEYS_SECRET_ID === undefined) {
    custom(
      'RELAY_KEYS',
      'RELAY_KEYS, RELAY_KEYS_FILE or RELAY_KEYS_SECRET_ID is required when BACKEND=aws: every instance must open relayed batches and sign acknowledgements with the same keys (RELAY_KEYS=none for a process that never does)',
    );
  }
  if ((env.PHONE_HASH_SECRET === undefined) === (env.PHONE_HASH_SECRET_ID === undefined)) {
    custom(
      'PHONE_HASH_SECRET',
      env.PHONE_HASH_SECRET === undefined
        ? 'PHONE_HASH_SECRET or PHONE_HASH_SECRET_ID is required when BACKEND=aws: the opaque Cognito usernames and rate-limit keys are keyed hashes of phone numbers, the same on every instance (PHONE_HASH_SECRET=none for a process that never sees a number)'
        : 'set PHONE_HASH_SECRET or PHONE_HASH_SECRET_ID, not both',
    );
  }
  return issues.length === 0 && parsed.success ? { data: parsed.data, issues } : { issues };
}

export type SearchAuth =
  | { kind: 'none' }
  /** Amazon OpenSearch Service (`es`) or OpenSearch Serverless (`aoss`), with the AWS credentials. */
  | { kind: 'sigv4'; service: 'es' | 'aoss' }
  | { kind: 'api-key'; apiKey: string }
  /** An Elastic API key read from Secrets Manager when the services are built (then `api-key`). */
  | { kind: 'api-key-secret'; secretId: string }
  | { kind: 'basic'; username: string; password: string };

export interface SearchConfig {
  engine: 'opensearch' | 'elasticsearch';
  node: string;
  auth: SearchAuth;
  indexPrefix: string;
  shards: number;
  replicas: number;
  refreshInterval: string;
}

export interface AwsConfig {
  region: string;
  /** Explicit credentials (local engines, tests); otherwise the SDK's default chain (the Lambda role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  dynamodb: { endpoint?: string | undefined; tablePrefix: string };
  sqs: {
    endpoint?: string | undefined;
    queueUrl: string;
    deadLetterQueueUrl: string;
    tracingDeadLetterQueueUrl: string;
    waitTimeSeconds: number;
    consumerConcurrency: number;
    batchingWindowMs: number;
  };
  search: SearchConfig;
  /** Where sign-in codes go: SMS through Amazon SNS (the default) or the log (local stacks only). */
  sms: { sender: 'log' | 'sns'; snsEndpoint?: string | undefined; senderId?: string | undefined };
  cognito: { endpoint?: string | undefined; userPoolId: string; clientId: string; issuer: string; jwksUri: string };
  /** Keys the opaque Cognito usernames and the rate-limit counters of phone numbers: given, in a Secrets Manager secret, or none. */
  phoneHash: { kind: 'key'; key: Buffer } | { kind: 'secret'; secretId: string } | { kind: 'none' };
  /** Token keys from a Secrets Manager secret, re-read every `refreshMs`; otherwise TOKEN_KEYS / TOKEN_KEYS_FILE. */
  tokenKeys: { secretId?: string | undefined; refreshMs: number };
  /** Relay keys from a Secrets Manager secret (read at cold start); otherwise RELAY_KEYS / RELAY_KEYS_FILE. */
  relayKeysSecretId?: string | undefined;
  secretsManager: { endpoint?: string | undefined };
}

export function toAwsConfig(e: AwsEnv): AwsConfig {
  // cognito-local signs with `<its endpoint>/<pool id>`; Cognito with its regional IdP host.
  const issuer =
    e.COGNITO_ISSUER ??
    (e.COGNITO_ENDPOINT ? `${e.COGNITO_ENDPOINT.replace(/\/+$/, '')}/${e.COGNITO_USER_POOL_ID}` : `https://cognito-idp.${e.AWS_REGION}.amazonaws.com/${e.COGNITO_USER_POOL_ID}`);
  return {
    region: e.AWS_REGION,
    credentials:
      e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY, sessionToken: e.AWS_SESSION_TOKEN }
        : undefined,
    dynamodb: { endpoint: e.DYNAMODB_ENDPOINT, tablePrefix: e.DYNAMODB_TABLE_PREFIX },
    sqs: {
      endpoint: e.SQS_ENDPOINT,
      queueUrl: e.SQS_QUEUE_URL,
      deadLetterQueueUrl: e.SQS_DLQ_URL,
      tracingDeadLetterQueueUrl: e.SQS_TRACING_DLQ_URL,
      waitTimeSeconds: e.SQS_WAIT_TIME_SECONDS,
      consumerConcurrency: e.SQS_CONSUMER_CONCURRENCY,
      batchingWindowMs: e.SQS_BATCHING_WINDOW_MS,
    },
    search: {
      engine: e.SEARCH_ENGINE,
      node: e.SEARCH_NODE,
      auth: searchAuth(e),
      indexPrefix: e.SEARCH_INDEX_PREFIX,
      shards: e.SEARCH_SHARDS,
      replicas: e.SEARCH_REPLICAS,
      refreshInterval: e.SEARCH_REFRESH_INTERVAL,
    },
    sms: { sender: e.SMS_SENDER, snsEndpoint: e.SNS_ENDPOINT, senderId: e.SMS_SENDER_ID },
    cognito: {
      endpoint: e.COGNITO_ENDPOINT,
      userPoolId: e.COGNITO_USER_POOL_ID,
      clientId: e.COGNITO_CLIENT_ID,
      issuer,
      jwksUri: e.COGNITO_JWKS_URL ?? `${issuer}/.well-known/jwks.json`,
    },
    phoneHash: e.PHONE_HASH_SECRET_ID
      ? { kind: 'secret', secretId: e.PHONE_HASH_SECRET_ID }
      : e.PHONE_HASH_SECRET!.toLowerCase() === 'none'
        ? { kind: 'none' }
        : { kind: 'key', key: phoneHashKey(e.PHONE_HASH_SECRET!)! },
    tokenKeys: { secretId: e.TOKEN_KEYS_SECRET_ID, refreshMs: e.TOKEN_KEYS_REFRESH_MINUTES * 60_000 },
    relayKeysSecretId: e.RELAY_KEYS_SECRET_ID,
    secretsManager: { endpoint: e.SECRETS_MANAGER_ENDPOINT },
  };
}

/** The cross-field rules in parseAwsEnv guarantee the secrets of the chosen kind are present. */
function searchAuth(e: AwsEnv): SearchAuth {
  switch (e.SEARCH_AUTH) {
    case 'none':
      return { kind: 'none' };
    case 'sigv4':
      return { kind: 'sigv4', service: e.SEARCH_SIGV4_SERVICE };
    case 'api-key':
      return e.SEARCH_API_KEY ? { kind: 'api-key', apiKey: e.SEARCH_API_KEY } : { kind: 'api-key-secret', secretId: e.SEARCH_API_KEY_SECRET_ID! };
    case 'basic':
      return { kind: 'basic', username: e.SEARCH_USERNAME!, password: e.SEARCH_PASSWORD! };
  }
}
