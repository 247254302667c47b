import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CognitoIdentity } from '../adapters/cognito/cognito-identity.js';
import { DynamoDedicatedDevices } from '../adapters/dynamodb/dynamo-dedicated-devices.js';
import { DynamoDeviceDirectory } from '../adapters/dynamodb/dynamo-device-directory.js';
import { DynamoExposureLedger } from '../adapters/dynamodb/dynamo-exposure-ledger.js';
import { DynamoInfectionReports } from '../adapters/dynamodb/dynamo-infection-reports.js';
import { DynamoTracingOutbox } from '../adapters/dynamodb/dynamo-tracing-outbox.js';
import { LogWarningChannel } from '../adapters/log/log-warning-channel.js';
import { SqsDeadLetters } from '../adapters/sqs/sqs-dead-letters.js';
import { DynamoAuditLog } from '../adapters/dynamodb/dynamo-audit-log.js';
import { DynamoRateLimitStore } from '../adapters/dynamodb/dynamo-rate-limit-store.js';
import { DynamoRefreshTokenFamilies } from '../adapters/dynamodb/dynamo-refresh-token-families.js';
import { DynamoOwnerAlertLedger } from '../adapters/dynamodb/dynamo-owner-alert-ledger.js';
import { OwnerAlertingChannel } from '../application/relay/owner-alerting-channel.js';
import { DynamoSignInChallenges } from '../adapters/dynamodb/dynamo-sign-in-challenges.js';
import { dynamoTableNames, type DynamoTableNames } from '../adapters/dynamodb/dynamo-tables.js';
import { DynamoTokenFlags } from '../adapters/dynamodb/dynamo-token-flags.js';
import { DynamoTokenRegistry } from '../adapters/dynamodb/dynamo-token-registry.js';
import { AccessTokenVerifier } from '../adapters/jwt/access-token-verifier.js';
import { LogSmsSender } from '../adapters/log/log-sms-sender.js';
import { PhoneHasher } from '../adapters/phone-hash/phone-hash.js';
import type { SmsSender } from '../ports/sms-sender.js';
import { loadRelayKeys } from '../adapters/relay-keys/load-relay-keys.js';
import { SnsSmsSender } from '../adapters/sns/sns-sms-sender.js';
import { contactIndexNames, type ContactIndexNames } from '../adapters/search/contact-indices.js';
import type { SearchEngine } from '../adapters/search/search-engine.js';
import type { ContactQueueUrls } from '../adapters/sqs/sqs-queues.js';
import { SearchContactStore } from '../adapters/search/search-contact-store.js';
import { analyticsIndexNames } from '../adapters/search/analytics-indices.js';
import { SearchAnalyticsStore } from '../adapters/search/search-analytics-store.js';
import { DynamoPseudonymKeys } from '../adapters/dynamodb/dynamo-pseudonym-keys.js';
import { SqsContactQueue } from '../adapters/sqs/sqs-contact-queue.js';
import { loadTokenKeys } from '../adapters/token-keys/load-token-keys.js';
import { loadSecretTokenKeys } from '../adapters/token-keys/secret-token-keys.js';
import { systemClock, type Clock } from '../application/clock.js';
import type { BackendConfig } from '../config/backend-config.js';
import { phoneHashKey, type AwsConfig } from '../config/aws-config.js';
import { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { TokenKeySet } from '../domain/tokens/token-keys.js';
import type { RelayKeys } from '../domain/relay/relay-keys.js';
import type { BackendServices } from './backend-services.js';
import { createMetrics } from './metrics.js';
import { readSecretString, secretsManagerClient } from './secrets.js';
import { SIGN_IN_CHALLENGE_POLICY } from './sign-in-policy.js';
import { signInServices } from './sign-in-services.js';
import { purgeRelayData, relayServices } from './relay-services.js';
import { searchEngineFromConfig } from './search-engine-from-config.js';
import { awsClientConfig, observed } from './aws-clients.js';
import { withoutPhoneHashKey, withoutRelayKeys, withoutTokenKeys } from './without-keys.js';

export interface AwsDataAdapterDeps {
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  search: SearchEngine;
  tables: DynamoTableNames;
  indices: ContactIndexNames;
  urls: ContactQueueUrls;
  config: Pick<BackendConfig, 'retention' | 'queue' | 'analytics'>;
  clock: Clock;
}

/** Every storage and messaging port on DynamoDB, SQS and the search engine (the composition's core, shared with the AWS test harness). */
export function awsDataAdapters(d: AwsDataAdapterDeps) {
  const { doc, sqs, tables, urls, clock } = d;
  const retention = d.config.retention;
  const outbox = new DynamoTracingOutbox(doc, sqs, { table: tables.tracingOutbox, deadLetterQueueUrl: urls.tracingDeadLetterQueueUrl, maxAttempts: d.config.queue.maxReceives }, clock);
  return {
    devices: new DynamoDeviceDirectory(doc, tables, retention.erasedNumbersMs, clock),
    tokenRegistry: new DynamoTokenRegistry(doc, tables.tokenIssuances),
    contacts: new SearchContactStore(d.search, d.indices, clock),
    queue: new SqsContactQueue(sqs, doc, { ...urls, receiptsTable: tables.batchReceipts, receiptRetentionMs: retention.contactsMs }, clock),
    outbox,
    ledger: new DynamoExposureLedger(doc, { table: tables.exposures, outboxTable: tables.tracingOutbox, retentionMs: retention.notificationsMs }),
    reports: new DynamoInfectionReports(doc, { tables, caseRetentionMs: retention.casesMs, codeRetentionMs: retention.verificationCodesMs, exposureRetentionMs: retention.notificationsMs }),
    deadLetters: new SqsDeadLetters(sqs, { ...urls, requeueTask: (task) => outbox.enqueue([task]) }),
    tokenFlags: new DynamoTokenFlags(doc, tables.tokenFlags, retention.contactsMs),
    analytics: new SearchAnalyticsStore(d.search, analyticsIndexNames(d.indices.prefix)),
    pseudonymKeys: new DynamoPseudonymKeys(doc, tables.analyticsKeys, d.config.analytics.retention, clock),
  };
}

export interface AwsServices extends BackendServices {
  /** The queue's consumer side, for the local stack's SQS poller (Lambda's event source in AWS). */
  sqs: SQSClient;
  /** For the local stack's stand-in of the tracer's DynamoDB stream event source. */
  dynamo: DynamoDBClient;
  tables: ReturnType<typeof dynamoTableNames>;
  aws: AwsConfig;
}

/**
 * BACKEND=aws: DynamoDB for devices, tokens, codes, cases, notifications and sign-in challenges,
 * SQS for the contact queue, OpenSearch for contacts, Cognito for identity. The same code talks to
 * AWS or, with the endpoint overrides, to DynamoDB Local, ElasticMQ, an OpenSearch node and
 * cognito-local. Sign-in codes go out by SMS through SNS (SMS_SENDER=sns) or to the log.
 *
 * Nothing here writes to a store: the tables, queues, user pool and the search tier's templates
 * and script exist already (the deployment's setup function, or `npm run services`). Secrets
 * (token keys, relay keys, the phone-hash key, an Elastic API key) are read once here, at cold start;
 * a function without one of them (`none`) runs with a stand-in that refuses to use it.
 */
export async function createAwsServices(config: BackendConfig, logger: Logger, clock: Clock = systemClock, identityClock: Clock = clock): Promise<AwsServices> {
  const aws = config.aws;
  if (!aws) throw new Error('createAwsServices needs BACKEND=aws and its settings');
  warnIfInsecure(config, logger);
  const clientConfig = (endpoint: string | undefined) => awsClientConfig(aws, endpoint);
  const dynamo = observed(new DynamoDBClient(clientConfig(aws.dynamodb.endpoint)));
  const doc = DynamoDBDocumentClient.from(dynamo);
  const sqs = observed(new SQSClient(clientConfig(aws.sqs.endpoint)));
  const cognito = observed(new CognitoIdentityProviderClient(clientConfig(aws.cognito.endpoint)));
  const sns = aws.sms.sender === 'sns' ? observed(new SNSClient(clientConfig(aws.sms.snsEndpoint))) : undefined;
  const smsSender: SmsSender = sns ? new SnsSmsSender(sns, { senderId: aws.sms.senderId }) : new LogSmsSender(logger);
  const secrets = secretsManagerClient(aws);
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
    search = searchEngineFromConfig(aws.search, aws, (secretId) => readSecretString(secrets, secretId));
    const engine = search.engine;
    const tables = dynamoTableNames(aws.dynamodb.tablePrefix);
    const indices = contactIndexNames(aws.search.indexPrefix);
    const cipher = await tokenCipher(config, secrets, logger, clock, (stop) => (stopFollowingKeys = stop));
    const data = awsDataAdapters({ doc, sqs, search: engine, tables, indices, urls: aws.sqs, config, clock });
    const relayKeys = await relayKeysOf(config, secrets);
    const relay = relayServices(config, clock, logger, {
      registry: new DynamoDedicatedDevices(doc, tables),
      ledger: new DynamoOwnerAlertLedger(doc, tables.ownerAlerts),
      keys: relayKeys,
      sms: smsSender,
    });
    const identity = new CognitoIdentity(
      cognito,
      new DynamoSignInChallenges(doc, tables.signInChallenges),
      new AccessTokenVerifier({ issuer: aws.cognito.issuer, jwksUri: aws.cognito.jwksUri, clientId: aws.cognito.clientId, clock: identityClock }),
      smsSender,
      await phoneHasher(aws, secrets),
      {
        userPoolId: aws.cognito.userPoolId,
        clientId: aws.cognito.clientId,
        officialPhoneNumbers: config.officialPhoneNumbers,
        officialRoleCacheMs: config.signIn.officialRoleCacheMs,
        ...SIGN_IN_CHALLENGE_POLICY,
        echoCodes: config.devSmsEcho,
      },
      // Cognito's clock: its tokens' lifetimes and the challenges whose DynamoDB TTL the wall clock ages.
      identityClock,
    );
    const { purgeSignIn, ...signIn } = signInServices(config, clock, {
      rateLimits: new DynamoRateLimitStore(doc, tables.rateLimits),
      refreshFamilies: new DynamoRefreshTokenFamilies(doc, tables.refreshFamilies),
      audit: new DynamoAuditLog(doc, tables.auditLog, config.signIn.auditRetentionMs),
    });
    return {
      ...signIn,
      config,
      logger,
      clock,
      identity,
      ...data,
      cipher,
      // Warnings go to the log, and by SMS to the owners of dedicated devices.
      channel: new OwnerAlertingChannel(new LogWarningChannel(logger), relay.ownerAlerts),
      relay,
      metrics: createMetrics(config),
      dependencyChecks: {
        dynamodb: async () => {
          await Promise.all(Object.values(tables).map((TableName: string) => dynamo.send(new DescribeTableCommand({ TableName }))));
        },
        sqs: async () => {
          const urls = [aws.sqs.queueUrl, aws.sqs.deadLetterQueueUrl, aws.sqs.tracingDeadLetterQueueUrl];
          await Promise.all(urls.map((QueueUrl) => sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))));
        },
        search: () => engine.ping(),
        cognito: async () => {
          const response = await fetch(aws.cognito.jwksUri, { signal: AbortSignal.timeout(2_000) });
          if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
        },
      },
      // Cognito publishes its own keys (aws.cognito.jwksUri); batch receipts expire by TTL.
      jwks: undefined,
      purgeExtras: async () => ({ signInChallenges: await identity.purgeExpiredChallenges(), ...(await purgeSignIn()), ...(await purgeRelayData(relay, clock())) }),
      sqs,
      dynamo,
      tables,
      aws,
      close: destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** INSECURE_DEVELOPMENT=1 lets a development stack run with unsafe settings: said loudly, every start. */
function warnIfInsecure(config: BackendConfig, logger: Logger): void {
  if (config.insecureDevelopment.length === 0) return;
  const banner = `INSECURE_DEVELOPMENT=1: this BACKEND=aws stack is for development only:\n${config.insecureDevelopment.map((s) => `  - ${s}`).join('\n')}`;
  console.error(`\n${'!'.repeat(78)}\n${banner}\n${'!'.repeat(78)}\n`);
  logger.warn('INSECURE_DEVELOPMENT: unsafe settings allowed', { insecureSettings: config.insecureDevelopment });
}

/** The relay keys: a Secrets Manager secret (read at cold start), RELAY_KEYS or a key file; RELAY_KEYS=none for functions that never relay or alert owners. */
async function relayKeysOf(config: BackendConfig, secrets: SecretsManagerClient): Promise<RelayKeys> {
  const secretId = config.aws!.relayKeysSecretId;
  if (!secretId && config.env.RELAY_KEYS?.trim().toLowerCase() === 'none') return withoutRelayKeys();
  return loadRelayKeys({
    keysEnv: secretId ? await readSecretString(secrets, secretId) : config.env.RELAY_KEYS,
    keysFile: config.env.RELAY_KEYS_FILE,
    defaultFile: join(config.dataDir, 'relay-keys.json'),
  });
}

/** The phone-hash key: given, or a Secrets Manager secret's value (base64, read at cold start); none for functions that never see a number. */
async function phoneHasher(aws: AwsConfig, secrets: SecretsManagerClient): Promise<PhoneHasher> {
  const source = aws.phoneHash;
  if (source.kind === 'none') return withoutPhoneHashKey();
  if (source.kind === 'key') return new PhoneHasher(source.key);
  const key = phoneHashKey(await readSecretString(secrets, source.secretId));
  if (!key) throw new Error(`secret ${source.secretId} is not a phone-hash key: base64 of at least 32 bytes`);
  return new PhoneHasher(key);
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
