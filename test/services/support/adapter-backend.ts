import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Client } from '@opensearch-project/opensearch';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { contactIndexNames, LOCAL_INDEX_SETTINGS, type ContactIndexNames } from '../../../backend/src/adapters/search/contact-indices.js';
import { OpenSearchEngine } from '../../../backend/src/adapters/search/opensearch-engine.js';
import { deleteContactIndices, ensureContactIndices } from '../../../backend/src/adapters/search/opensearch-indices.js';
import { contactQueueNames, createContactQueues, deleteContactQueues, type ContactQueueUrls } from '../../../backend/src/adapters/sqs/sqs-queues.js';
import { awsDataAdapters } from '../../../backend/src/composition/aws.js';
import type { BackendServices } from '../../../backend/src/composition/backend-services.js';
import { signInServices } from '../../../backend/src/composition/sign-in-services.js';
import { DynamoAuditLog } from '../../../backend/src/adapters/dynamodb/dynamo-audit-log.js';
import { DynamoRateLimitStore } from '../../../backend/src/adapters/dynamodb/dynamo-rate-limit-store.js';
import { DynamoRefreshTokenFamilies } from '../../../backend/src/adapters/dynamodb/dynamo-refresh-token-families.js';
import { DynamoDedicatedDevices } from '../../../backend/src/adapters/dynamodb/dynamo-dedicated-devices.js';
import { DynamoOwnerAlertLedger } from '../../../backend/src/adapters/dynamodb/dynamo-owner-alert-ledger.js';
import { LogSmsSender } from '../../../backend/src/adapters/log/log-sms-sender.js';
import { LogWarningChannel } from '../../../backend/src/adapters/log/log-warning-channel.js';
import { OwnerAlertingChannel } from '../../../backend/src/application/relay/owner-alerting-channel.js';
import { relayServices } from '../../../backend/src/composition/relay-services.js';
import { makeProcessContactBatches } from '../../../backend/src/handlers/process-contact-batches.js';
import { makeTraceExposures } from '../../../backend/src/handlers/trace-exposures.js';
import { DynamoDbStreamSource } from '../../../backend/src/local/dynamodb-stream-source.js';
import { SqsEventSource } from '../../../backend/src/local/sqs-event-source.js';
import { embeddedServices, type TestClock } from '../../support/embedded-services.js';
import type { WorldBackend } from '../../support/tracing-world.js';
import { localServices, uniquePrefix, type localAwsClients } from './aws-clients.js';

export interface AwsBackend extends WorldBackend {
  services: BackendServices;
  urls: ContactQueueUrls;
  tables: DynamoTableNames;
  indices: ContactIndexNames;
  /** The consumer, fed from the queue as Lambda's event source would. */
  eventSource: SqsEventSource;
  /** The tracer, fed from the outbox's stream as Lambda's event source would. */
  streamSource: DynamoDbStreamSource;
  close(): Promise<void>;
}

export interface AwsBackendOptions {
  /** From localAwsClients(), called at the test file's top level. */
  clients: ReturnType<typeof localAwsClients>;
  clock: TestClock;
  env?: Record<string, string>;
  /** Where the contact store's client connects; the suite's OpenSearch node by default. */
  searchNode?: string;
  visibilityTimeoutSeconds?: number;
  /** The queue's redrive: receives before SQS itself moves a message to the DLQ. */
  maxReceiveCount?: number;
}

/**
 * The handlers' services on the AWS adapters (the composition's own `awsDataAdapters`, and the
 * sign-in stores, dedicated devices and owner alerts), each on its own tables, queues and indices: DynamoDB Local, ElasticMQ and
 * OpenSearch from the suite's global setup. Identity and token keys stay on the embedded
 * composition; the consumers are run by hand.
 */
export async function awsBackend(options: AwsBackendOptions): Promise<AwsBackend> {
  const { dynamo, doc, sqs } = options.clients;
  const adminSearch = new Client({ node: localServices().opensearch!.node });
  const search = options.searchNode ? new Client({ node: options.searchNode, maxRetries: 0 }) : adminSearch;
  const prefix = uniquePrefix();
  const tables = dynamoTableNames(prefix);
  const indices = contactIndexNames(prefix);
  const [urls] = await Promise.all([
    createContactQueues(sqs, contactQueueNames(prefix), {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
      maxReceiveCount: options.maxReceiveCount ?? 4,
    }),
    createDynamoTables(dynamo, tables),
    ensureContactIndices(adminSearch, indices, LOCAL_INDEX_SETTINGS),
  ]);
  const clock = options.clock;
  const embedded = await embeddedServices({ clock, env: options.env ?? {} });
  const { config } = embedded.services;
  const { purgeSignIn: _purge, ...signIn } = signInServices(config, clock.now, {
    rateLimits: new DynamoRateLimitStore(doc, tables.rateLimits),
    refreshFamilies: new DynamoRefreshTokenFamilies(doc, tables.refreshFamilies),
    audit: new DynamoAuditLog(doc, tables.auditLog, config.signIn.auditRetentionMs),
  });
  // Dedicated devices and owner alerts on DynamoDB too, warnings through them, as composition/aws.ts wires them.
  const relay = relayServices(config, clock.now, embedded.services.logger, {
    registry: new DynamoDedicatedDevices(doc, tables),
    ledger: new DynamoOwnerAlertLedger(doc, tables.ownerAlerts),
    keys: embedded.services.relay.keys,
    sms: new LogSmsSender(embedded.services.logger),
  });
  const services: BackendServices = {
    ...embedded.services,
    ...signIn,
    ...awsDataAdapters({ doc, sqs, search: new OpenSearchEngine(search), tables, indices, urls, config, clock: clock.now }),
    relay,
    channel: new OwnerAlertingChannel(new LogWarningChannel(embedded.services.logger), relay.ownerAlerts),
  };
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: urls.queueUrl, AttributeNames: ['QueueArn'] }));
  const eventSource = new SqsEventSource({
    sqs,
    queueUrl: urls.queueUrl,
    queueArn: Attributes!.QueueArn!,
    handler: makeProcessContactBatches(services),
    batchSize: 10,
    waitTimeSeconds: 0,
    logger: services.logger,
  });
  const { region, credentials, dynamodb } = localServices();
  const streams = new DynamoDBStreamsClient({ endpoint: dynamodb!.endpoint, region, credentials: { ...credentials } });
  const streamSource = new DynamoDbStreamSource({
    streams,
    dynamo,
    table: tables.tracingOutbox,
    handler: makeTraceExposures(services),
    batchSize: 100,
    idleDelayMs: 10,
    retryDelayMs: (options.visibilityTimeoutSeconds ?? 1) * 1000,
    logger: services.logger,
  });
  await streamSource.prepare();
  return {
    services,
    urls,
    tables,
    indices,
    eventSource,
    streamSource,
    consumeOnce: () => eventSource.pollOnce(),
    // The stream shows a write a moment later: wait for the outbox table to empty.
    traceOnce: () => streamSource.drain(),
    close: async () => {
      streams.destroy();
      await embedded.close();
      await Promise.all([deleteContactQueues(sqs, urls), deleteDynamoTables(dynamo, tables), deleteContactIndices(adminSearch, indices)]);
      if (search !== adminSearch) await search.close();
      await adminSearch.close();
    },
  };
}
