import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Client } from '@opensearch-project/opensearch';
import { DynamoDeviceDirectory } from '../../../backend/src/adapters/dynamodb/dynamo-device-directory.js';
import { DynamoNotifier } from '../../../backend/src/adapters/dynamodb/dynamo-notifier.js';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames } from '../../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { DynamoTokenRegistry } from '../../../backend/src/adapters/dynamodb/dynamo-token-registry.js';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../../../backend/src/adapters/search/contact-indices.js';
import { OpenSearchContactStore } from '../../../backend/src/adapters/search/opensearch-contact-store.js';
import { deleteContactIndices, ensureContactIndices } from '../../../backend/src/adapters/search/opensearch-indices.js';
import { SqsContactQueue } from '../../../backend/src/adapters/sqs/sqs-contact-queue.js';
import { contactQueueNames, createContactQueues, deleteContactQueues, type ContactQueueUrls } from '../../../backend/src/adapters/sqs/sqs-queues.js';
import type { BackendServices } from '../../../backend/src/composition/backend-services.js';
import { exposureTracking } from '../../../backend/src/composition/exposure-tracking.js';
import { signInServices } from '../../../backend/src/composition/sign-in-services.js';
import { DynamoAuditLog } from '../../../backend/src/adapters/dynamodb/dynamo-audit-log.js';
import { DynamoRateLimitStore } from '../../../backend/src/adapters/dynamodb/dynamo-rate-limit-store.js';
import { DynamoRefreshTokenFamilies } from '../../../backend/src/adapters/dynamodb/dynamo-refresh-token-families.js';
import { makeProcessContactBatches } from '../../../backend/src/handlers/process-contact-batches.js';
import { SqsEventSource } from '../../../backend/src/local/sqs-event-source.js';
import { embeddedServices, type TestClock } from '../../support/embedded-services.js';
import { localServices, uniquePrefix, type localAwsClients } from './aws-clients.js';

export interface AwsBackend {
  services: BackendServices;
  urls: ContactQueueUrls;
  /** The consumer, fed from the queue as Lambda's event source would. */
  eventSource: SqsEventSource;
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
 * The handlers' services on the AWS adapters, each on its own tables, queues and indices:
 * DynamoDB Local, ElasticMQ and OpenSearch from the suite's global setup (rate limits, refresh
 * families and the audit log in DynamoDB too). Identity and token keys stay on the embedded
 * composition.
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
  const devices = new DynamoDeviceDirectory(doc, tables);
  const notifier = new DynamoNotifier(doc, tables.notifications);
  const contacts = new OpenSearchContactStore(search, indices, clock.now);
  const { exposureIndex, tracer } = exposureTracking(config, clock.now, { devices, notifier, contacts });
  const { purgeSignIn: _purge, ...signIn } = signInServices(config, clock.now, {
    rateLimits: new DynamoRateLimitStore(doc, tables.rateLimits),
    refreshFamilies: new DynamoRefreshTokenFamilies(doc, tables.refreshFamilies),
    audit: new DynamoAuditLog(doc, tables.auditLog, config.signIn.auditRetentionMs),
  });
  const services: BackendServices = {
    ...embedded.services,
    ...signIn,
    devices,
    notifier,
    contacts,
    exposureIndex,
    tokenRegistry: new DynamoTokenRegistry(doc, tables.tokenIssuances),
    queue: new SqsContactQueue(sqs, doc, { ...urls, receiptsTable: tables.batchReceipts, receiptRetentionMs: config.retentionMs }, clock.now),
    tracer,
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
  return {
    services,
    urls,
    eventSource,
    close: async () => {
      await embedded.close();
      await Promise.all([deleteContactQueues(sqs, urls), deleteDynamoTables(dynamo, tables), deleteContactIndices(adminSearch, indices)]);
      if (search !== adminSearch) await search.close();
      await adminSearch.close();
    },
  };
}
