import { z } from 'zod';
import { integer } from './env-schema.js';

/**
 * The settings of `BACKEND=aws`: where the AWS services (or their local stand-ins) are and what
 * the resources are called. Parsed only when BACKEND=aws; every missing variable is reported.
 */
const required = (what: string) => z.string({ error: `is required when BACKEND=aws (${what})` }).trim().min(1, `is required when BACKEND=aws (${what})`);
const HTTP = /^https?$/;
const url = (what: string) => required(what).pipe(z.url({ protocol: HTTP, error: 'must be an http(s) URL such as http://127.0.0.1:9324' }));
const optionalUrl = z.url({ protocol: HTTP, error: 'must be an http(s) URL such as http://127.0.0.1:8000' }).optional();

const awsEnvSchema = z.object({
    AWS_REGION: required('the region of every AWS client, e.g. eu-west-1'),
    AWS_ACCESS_KEY_ID: z.string().optional(),
    AWS_SECRET_ACCESS_KEY: z.string().optional(),
    AWS_SESSION_TOKEN: z.string().optional(),
    DYNAMODB_TABLE_PREFIX: z.string().trim().optional().default('proxitrace-'),
    DYNAMODB_ENDPOINT: optionalUrl,
    SQS_QUEUE_URL: url('the contact queue'),
    SQS_DLQ_URL: url("the contact queue's dead-letter queue"),
    SQS_ENDPOINT: optionalUrl,
    SQS_WAIT_TIME_SECONDS: integer(5, { min: 0, max: 20 }),
    OPENSEARCH_NODE: url('the OpenSearch node or domain endpoint'),
    OPENSEARCH_INDEX_PREFIX: z.string().trim().toLowerCase().optional().default('proxitrace-'),
    OPENSEARCH_SHARDS: integer(1, { min: 1, max: 64 }),
    OPENSEARCH_REPLICAS: integer(0, { min: 0, max: 8 }),
    OPENSEARCH_REFRESH_INTERVAL: z.string().trim().regex(/^\d+(ms|s|m)$/, 'must be a duration such as 1s or 30s').optional().default('1s'),
    COGNITO_USER_POOL_ID: required('the user pool devices sign in to'),
    COGNITO_CLIENT_ID: required('an app client allowing ADMIN_USER_PASSWORD_AUTH'),
    COGNITO_ENDPOINT: optionalUrl,
    COGNITO_ISSUER: optionalUrl,
    COGNITO_JWKS_URL: optionalUrl,
    TOKEN_KEYS: z.string().optional(),
    TOKEN_KEYS_FILE: z.string().optional(),
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
  if (env.TOKEN_KEYS === undefined && env.TOKEN_KEYS_FILE === undefined) {
    custom('TOKEN_KEYS', 'TOKEN_KEYS or TOKEN_KEYS_FILE is required when BACKEND=aws: every instance must encrypt and decrypt tokens with the same keys');
  }
  return issues.length === 0 && parsed.success ? { data: parsed.data, issues } : { issues };
}

export interface AwsConfig {
  region: string;
  /** Explicit credentials (local engines, tests); otherwise the SDK's default chain (the Lambda role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  dynamodb: { endpoint?: string | undefined; tablePrefix: string };
  sqs: { endpoint?: string | undefined; queueUrl: string; deadLetterQueueUrl: string; waitTimeSeconds: number };
  opensearch: { node: string; indexPrefix: string; shards: number; replicas: number; refreshInterval: string };
  cognito: { endpoint?: string | undefined; userPoolId: string; clientId: string; issuer: string; jwksUri: string };
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
    sqs: { endpoint: e.SQS_ENDPOINT, queueUrl: e.SQS_QUEUE_URL, deadLetterQueueUrl: e.SQS_DLQ_URL, waitTimeSeconds: e.SQS_WAIT_TIME_SECONDS },
    opensearch: {
      node: e.OPENSEARCH_NODE,
      indexPrefix: e.OPENSEARCH_INDEX_PREFIX,
      shards: e.OPENSEARCH_SHARDS,
      replicas: e.OPENSEARCH_REPLICAS,
      refreshInterval: e.OPENSEARCH_REFRESH_INTERVAL,
    },
    cognito: {
      endpoint: e.COGNITO_ENDPOINT,
      userPoolId: e.COGNITO_USER_POOL_ID,
      clientId: e.COGNITO_CLIENT_ID,
      issuer,
      jwksUri: e.COGNITO_JWKS_URL ?? `${issuer}/.well-known/jwks.json`,
    },
  };
}
