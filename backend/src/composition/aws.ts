import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CognitoIdentity } from '../adapters/cognito/cognito-identity.js';
import { DynamoDeviceDirectory } from '../adapters/dynamodb/dynamo-device-directory.js';
import { DynamoNotifier } from '../adapters/dynamodb/dynamo-notifier.js';
import { DynamoSignInChallenges } from '../adapters/dynamodb/dynamo-sign-in-challenges.js';
import { dynamoTableNames } from '../adapters/dynamodb/dynamo-tables.js';
import { DynamoTokenRegistry } from '../adapters/dynamodb/dynamo-token-registry.js';
import { AccessTokenVerifier } from '../adapters/jwt/access-token-verifier.js';
import { LogSmsSender } from '../adapters/log/log-sms-sender.js';
import type { SmsSender } from '../adapters/local-identity/sms-sender.js';
import { SnsSmsSender } from '../adapters/sns/sns-sms-sender.js';
import { contactIndexNames } from '../adapters/search/contact-indices.js';
import { SearchContactStore } from '../adapters/search/search-contact-store.js';
import { SqsContactQueue } from '../adapters/sqs/sqs-contact-queue.js';
import { loadTokenKeys } from '../adapters/token-keys/load-token-keys.js';
import { loadSecretTokenKeys } from '../adapters/token-keys/secret-token-keys.js';
import { systemClock, type Clock } from '../application/clock.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { AwsConfig } from '../config/aws-config.js';
import { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { TokenKeySet } from '../domain/tokens/token-keys.js';
import type { BackendServices } from './backend-services.js';
import { exposureTracking, SIGN_IN_CHALLENGE_POLICY } from './exposure-tracking.js';
import { createMetrics } from './metrics.js';
import { readSecretString } from './secrets.js';
import { searchEngineFromConfig } from './search-engine-from-config.js';
import { withoutTokenKeys } from './without-token-keys.js';

export interface AwsServices extends BackendServices {
  /** The queue's consumer side, for the local stack's SQS poller (Lambda's event source in AWS). */
  sqs: SQSClient;
  aws: AwsConfig;
}

/**
 * BACKEND=aws: DynamoDB for devices, tokens, codes, cases, notifications and sign-in challenges,
 * SQS for the contact queue, OpenSearch for contacts, Cognito for identity. The same code talks to
 * AWS or, with the endpoint overrides, to DynamoDB Local, ElasticMQ, an OpenSearch node and
 * cognito-local. Sign-in codes go out by SMS through SNS (SMS_SENDER=sns) or to the log.
 *
 * Nothing here writes to a store: the tables, queues, user pool and the search tier's templates
 * and script exist already (the deployment, or `npm run services`). Secrets (token keys, an Elastic
 * API key) are read once here, at cold start.
 */
export async function createAwsServices(config: BackendConfig, logger: Logger, clock: Clock = systemClock): Promise<AwsServices> {
  const aws = config.aws;
  if (!aws) throw new Error('createAwsServices needs BACKEND=aws and its settings');
  // A fresh credentials object per client: the SDK annotates the one it is given.
  const clientConfig = (endpoint: string | undefined) => ({
    region: aws.region,
    ...(endpoint ? { endpoint } : {}),
    ...(aws.credentials ? { credentials: { ...aws.credentials } } : {}),
  });
  const dynamo = new DynamoDBClient(clientConfig(aws.dynamodb.endpoint));
  const doc = DynamoDBDocumentClient.from(dynamo);
  const sqs = new SQSClient(clientConfig(aws.sqs.endpoint));
  const cognito = new CognitoIdentityProviderClient(clientConfig(aws.cognito.endpoint));
  const sns = aws.sms.sender === 'sns' ? new SNSClient(clientConfig(aws.sms.snsEndpoint)) : undefined;
  const smsSender: SmsSender = sns ? new SnsSmsSender(sns, { senderId: aws.sms.senderId }) : new LogSmsSender(logger);
  const secrets = new SecretsManagerClient(clientConfig(aws.secretsManager.endpoint));
  let search: ReturnType<typeof searchEngineFromConfig> | undefined;
  let stopFollowingKeys = () => {};
  const destroy = async () => {
    stopFollowingKeys();
    doc.destroy();
    dynamo.destroy();
    sqs.destroy();
    cognito.destroy();
    sns?.destroy();
    secrets.destroy();
    await search?.close();
  };

  try {
    const auth = aws.search.auth;
    const searchConfig =
      auth.kind === 'api-key-secret' ? { ...aws.search, auth: { kind: 'api-key' as const, apiKey: await readSecretString(secrets, auth.secretId) } } : aws.search;
    search = searchEngineFromConfig(searchConfig, aws);
    const tables = dynamoTableNames(aws.dynamodb.tablePrefix);
    const indices = contactIndexNames(aws.search.indexPrefix);
    const cipher = await tokenCipher(config, secrets, logger, clock, (stop) => (stopFollowingKeys = stop));
    const devices = new DynamoDeviceDirectory(doc, tables);
    const notifier = new DynamoNotifier(doc, tables.notifications, (n) =>
      logger.info('exposure notification', { notificationId: n.id, degree: n.degree, probability: n.probability }),
    );
    const contacts = new SearchContactStore(search.engine, indices, clock);
    const queue = new SqsContactQueue(
      sqs,
      doc,
      { queueUrl: aws.sqs.queueUrl, deadLetterQueueUrl: aws.sqs.deadLetterQueueUrl, receiptsTable: tables.batchReceipts, receiptRetentionMs: config.retentionMs },
      clock,
    );
    const identity = new CognitoIdentity(
      cognito,
      new DynamoSignInChallenges(doc, tables.signInChallenges),
      new AccessTokenVerifier({ issuer: aws.cognito.issuer, jwksUri: aws.cognito.jwksUri, clientId: aws.cognito.clientId, clock }),
      smsSender,
      {
        userPoolId: aws.cognito.userPoolId,
        clientId: aws.cognito.clientId,
        officialPhoneNumbers: config.officialPhoneNumbers,
        ...SIGN_IN_CHALLENGE_POLICY,
        echoCodes: config.devSmsEcho,
      },
      clock,
    );
    const { exposureIndex, tracer } = exposureTracking(config, clock, { devices, notifier, contacts });
    const engine = search.engine;
    return {
      config,
      logger,
      clock,
      identity,
      devices,
      tokenRegistry: new DynamoTokenRegistry(doc, tables.tokenIssuances),
      cipher,
      queue,
      contacts,
      notifier,
      exposureIndex,
      tracer,
      metrics: createMetrics(config),
      dependencyChecks: {
        dynamodb: async () => {
          await Promise.all(Object.values(tables).map((TableName: string) => dynamo.send(new DescribeTableCommand({ TableName }))));
        },
        sqs: async () => {
          await Promise.all(
            [aws.sqs.queueUrl, aws.sqs.deadLetterQueueUrl].map((QueueUrl) => sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))),
          );
        },
        search: () => engine.ping(),
        cognito: async () => {
          const response = await fetch(aws.cognito.jwksUri, { signal: AbortSignal.timeout(2_000) });
          if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
        },
      },
      // Cognito publishes its own keys (aws.cognito.jwksUri); batch receipts expire by TTL.
      jwks: undefined,
      purgeExtras: async () => ({ signInChallenges: await identity.purgeExpiredChallenges() }),
      sqs,
      aws,
      close: destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/**
 * The token cipher on the configured keys: a Secrets Manager secret (read now, then followed, so a
 * rotation reaches this instance), TOKEN_KEYS or a key file; TOKEN_KEYS=none for functions that
 * never issue or resolve tokens (they get no read access to the secret either).
 */
async function tokenCipher(
  config: BackendConfig,
  secrets: SecretsManagerClient,
  logger: Logger,
  clock: Clock,
  onFollow: (stop: () => void) => void,
): Promise<TokenCipher> {
  const { secretId, refreshMs } = config.aws!.tokenKeys;
  if (secretId) {
    const keys = await loadSecretTokenKeys(secrets, {
      secretId,
      refreshMs,
      now: clock,
      onError: (error) => logger.error('token keys not refreshed; keeping the current ones', { error: error as Error }),
    });
    const cipher = new TokenCipher(keys.keySet);
    onFollow(keys.follow((keySet: TokenKeySet) => cipher.replaceKeys(keySet)));
    return cipher;
  }
  if (config.env.TOKEN_KEYS?.trim().toLowerCase() === 'none') return withoutTokenKeys();
  return new TokenCipher(
    loadTokenKeys({ keysEnv: config.env.TOKEN_KEYS, keysFile: config.env.TOKEN_KEYS_FILE, defaultFile: join(config.dataDir, 'token-keys.json'), now: clock() }),
  );
}
