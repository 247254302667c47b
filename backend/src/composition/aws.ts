import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CognitoIdentity } from '../adapters/cognito/cognito-identity.js';
import { DynamoDedicatedDevices } from '../adapters/dynamodb/dynamo-dedicated-devices.js';
import { DynamoDeviceDirectory } from '../adapters/dynamodb/dynamo-device-directory.js';
import { DynamoOwnerAlertLedger } from '../adapters/dynamodb/dynamo-owner-alert-ledger.js';
import { DynamoNotifier } from '../adapters/dynamodb/dynamo-notifier.js';
import { DynamoSignInChallenges } from '../adapters/dynamodb/dynamo-sign-in-challenges.js';
import { dynamoTableNames } from '../adapters/dynamodb/dynamo-tables.js';
import { DynamoTokenRegistry } from '../adapters/dynamodb/dynamo-token-registry.js';
import { AccessTokenVerifier } from '../adapters/jwt/access-token-verifier.js';
import { LogSmsSender } from '../adapters/log/log-sms-sender.js';
import type { SmsSender } from '../ports/sms-sender.js';
import { loadRelayKeys } from '../adapters/relay-keys/load-relay-keys.js';
import { SnsSmsSender } from '../adapters/sns/sns-sms-sender.js';
import { contactIndexNames } from '../adapters/search/contact-indices.js';
import { installContactIndices, SearchContactStore } from '../adapters/search/search-contact-store.js';
import { SqsContactQueue } from '../adapters/sqs/sqs-contact-queue.js';
import { loadTokenKeys } from '../adapters/token-keys/load-token-keys.js';
import { systemClock, type Clock } from '../application/clock.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { AwsConfig } from '../config/aws-config.js';
import { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { BackendServices } from './backend-services.js';
import { exposureTracking, SIGN_IN_CHALLENGE_POLICY } from './exposure-tracking.js';
import { purgeRelayData, relayServices } from './relay-services.js';
import { searchEngineFromConfig } from './search-engine-from-config.js';

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
  const search = searchEngineFromConfig(aws.search, aws);
  const destroy = async () => {
    doc.destroy();
    dynamo.destroy();
    sqs.destroy();
    cognito.destroy();
    sns?.destroy();
    await search.close();
  };

  try {
    const tables = dynamoTableNames(aws.dynamodb.tablePrefix);
    const indices = contactIndexNames(aws.search.indexPrefix);
    // Idempotent: the template must exist before the first contact is written (strict mapping).
    await installContactIndices(search.engine, indices, aws.search);
    const keySet = loadTokenKeys({
      keysEnv: config.env.TOKEN_KEYS,
      keysFile: config.env.TOKEN_KEYS_FILE,
      defaultFile: join(config.dataDir, 'token-keys.json'),
    });
    const devices = new DynamoDeviceDirectory(doc, tables);
    const relayKeys = await loadRelayKeys({ keysEnv: config.env.RELAY_KEYS, keysFile: config.env.RELAY_KEYS_FILE, defaultFile: join(config.dataDir, 'relay-keys.json') });
    const relay = relayServices(config, clock, logger, {
      registry: new DynamoDedicatedDevices(doc, tables),
      ledger: new DynamoOwnerAlertLedger(doc, tables.ownerAlerts),
      keys: relayKeys,
      sms: smsSender,
    });
    const notifier = new DynamoNotifier(doc, tables.notifications, (n) => {
      logger.info('exposure notification', { notificationId: n.id, degree: n.degree, probability: n.probability });
      relay.ownerAlerts.onNotified(n);
    });
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
    return {
      config,
      logger,
      clock,
      identity,
      devices,
      tokenRegistry: new DynamoTokenRegistry(doc, tables.tokenIssuances),
      cipher: new TokenCipher(keySet),
      queue,
      contacts,
      notifier,
      exposureIndex,
      tracer,
      relay,
      // Cognito publishes its own keys (aws.cognito.jwksUri); batch receipts expire by TTL.
      jwks: undefined,
      purgeExtras: async () => ({ signInChallenges: await identity.purgeExpiredChallenges(), ...(await purgeRelayData(relay, clock())) }),
      sqs,
      aws,
      close: destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}
