import { randomBytes } from 'node:crypto';
import type { LocalEndpoints } from './start-local-services.js';

/** Where one backend's AWS resources live on the local engines. */
export interface LocalAwsResources {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Table, index (and user pool) name prefix. */
  prefix: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  tracingDeadLetterQueueUrl: string;
  opensearchNode: string;
  cognitoEndpoint: string;
  userPoolId: string;
  clientId: string;
}

/**
 * The BACKEND=aws environment that points `npm start`'s program at those resources (issuer and
 * JWKS URL follow from the Cognito endpoint and pool). Token keys are the caller's to add. These
 * are local engines, so it is a development stack: INSECURE_DEVELOPMENT=1 lets it write sign-in
 * codes to the log (and echo them with DEV_SMS_ECHO=1), loudly logged at start-up.
 */
export function awsBackendEnv(r: LocalAwsResources): Record<string, string> {
  return {
    BACKEND: 'aws',
    INSECURE_DEVELOPMENT: '1',
    SMS_SENDER: 'log',
    // The services start empty, so a fresh key per stack loses nothing.
    PHONE_HASH_SECRET: randomBytes(32).toString('base64'),
    AWS_REGION: r.region,
    AWS_ACCESS_KEY_ID: r.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: r.credentials.secretAccessKey,
    DYNAMODB_ENDPOINT: r.dynamodbEndpoint,
    DYNAMODB_TABLE_PREFIX: r.prefix,
    SQS_ENDPOINT: r.sqsEndpoint,
    SQS_QUEUE_URL: r.queueUrl,
    SQS_DLQ_URL: r.deadLetterQueueUrl,
    SQS_TRACING_DLQ_URL: r.tracingDeadLetterQueueUrl,
    SEARCH_NODE: r.opensearchNode,
    SEARCH_INDEX_PREFIX: r.prefix,
    COGNITO_ENDPOINT: r.cognitoEndpoint,
    COGNITO_USER_POOL_ID: r.userPoolId,
    COGNITO_CLIENT_ID: r.clientId,
  };
}

/** The BACKEND=aws environment for the resources `startLocalServices` provisioned with `prefix`. */
export function awsBackendEnvOf(endpoints: LocalEndpoints, prefix: string): Record<string, string> {
  const { region, credentials, dynamodb, sqs, opensearch, cognito } = endpoints;
  if (!dynamodb || !sqs || !opensearch || !cognito) throw new Error('BACKEND=aws needs all four services');
  return awsBackendEnv({
    region,
    credentials,
    prefix,
    dynamodbEndpoint: dynamodb.endpoint,
    sqsEndpoint: sqs.endpoint,
    queueUrl: sqs.queueUrl,
    deadLetterQueueUrl: sqs.deadLetterQueueUrl,
    tracingDeadLetterQueueUrl: sqs.tracingDeadLetterQueueUrl,
    opensearchNode: opensearch.node,
    cognitoEndpoint: cognito.endpoint,
    userPoolId: cognito.userPoolId,
    clientId: cognito.clientId,
  });
}
