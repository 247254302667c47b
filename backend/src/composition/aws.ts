import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoTableNames } from '../adapters/dynamodb/dynamo-tables.js';
import type { ContactIndexNames } from '../adapters/search/contact-indices.js';
import type { SearchEngine } from '../adapters/search/search-engine.js';
import type { ContactQueueUrls } from '../adapters/sqs/sqs-queues.js';
import { systemClock, type Clock } from '../application/clock.js';
import type { AwsConfig } from '../config/aws-config.js';
import type { BackendConfig } from '../config/backend-config.js';
import { awsContext, contextWithClients, warnIfInsecure, type AwsContext } from './aws-parts/aws-context.js';
import { dependencyChecks } from './aws-parts/dependency-checks.js';
import { dynamoClient } from './aws-parts/dynamo-client.js';
import { cognitoIdentity } from './aws-parts/identity.js';
import { purgeExtras } from './aws-parts/purge-extras.js';
import { relay, warningChannel } from './aws-parts/relay.js';
import { tokenCipher } from './aws-parts/token-cipher.js';
import { audit, rateLimits, refreshFamilies, signInThrottle } from './aws-parts/sign-in.js';
import { sqsClient } from './aws-parts/sqs-client.js';
import * as stores from './aws-parts/stores.js';
import type { BackendServices } from './backend-services.js';
import { createMetrics } from './metrics.js';
import { searchEngine } from './aws-parts/search-engine.js';

export interface AwsDataAdapterDeps {
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  search: SearchEngine;
  tables: DynamoTableNames;
  indices: ContactIndexNames;
  urls: ContactQueueUrls;
  config: BackendConfig;
  clock: Clock;
}

/** Every storage and messaging port on DynamoDB, SQS and the search engine (the composition's core, shared with the AWS test harness). */
export function awsDataAdapters(d: AwsDataAdapterDeps) {
  const ctx = contextWithClients(d, { 'dynamodb-documents': d.doc, sqs: d.sqs, search: d.search });
  return storesOf(ctx);
}

function storesOf(ctx: AwsContext) {
  return {
    devices: stores.devices(ctx),
    tokenRegistry: stores.tokenRegistry(ctx),
    contacts: stores.contacts(ctx),
    queue: stores.queue(ctx),
    outbox: stores.outbox(ctx),
    ledger: stores.ledger(ctx),
    reports: stores.reports(ctx),
    deadLetters: stores.deadLetters(ctx),
    tokenFlags: stores.tokenFlags(ctx),
    analytics: stores.analytics(ctx),
    pseudonymKeys: stores.pseudonymKeys(ctx),
  };
}

export interface AwsServices extends BackendServices {
  /** The queue's consumer side, for the local stack's SQS poller (Lambda's event source in AWS). */
  sqs: SQSClient;
  /** For the local stack's stand-in of the tracer's DynamoDB stream event source. */
  dynamo: DynamoDBClient;
  tables: DynamoTableNames;
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
  const ctx = awsContext(config, logger, clock, identityClock);
  warnIfInsecure(config, logger);
  try {
    // The same order as the functions' own compositions read their secrets: token keys, relay keys, phone hash.
    // A search setting that cannot work fails before any secret is read.
    searchEngine(ctx);
    const cipher = await tokenCipher(ctx);
    const relayServices = await relay(ctx);
    const identity = await cognitoIdentity(ctx);
    return {
      config,
      logger,
      clock,
      identity,
      rateLimits: rateLimits(ctx),
      signInThrottle: signInThrottle(ctx),
      refreshFamilies: refreshFamilies(ctx),
      audit: audit(ctx),
      ...storesOf(ctx),
      cipher,
      channel: await warningChannel(ctx),
      relay: relayServices,
      metrics: createMetrics(config),
      dependencyChecks: dependencyChecks(ctx),
      // Cognito publishes its own keys (aws.cognito.jwksUri); batch receipts expire by TTL.
      jwks: undefined,
      purgeExtras: await purgeExtras(ctx),
      sqs: sqsClient(ctx),
      dynamo: dynamoClient(ctx),
      tables: ctx.tables,
      aws: ctx.aws,
      close: () => ctx.close(),
    };
  } catch (error) {
    await ctx.close();
    throw error;
  }
}
