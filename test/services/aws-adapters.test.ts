import { DynamoDeviceDirectory } from '../../backend/src/adapters/dynamodb/dynamo-device-directory.js';
import { DynamoNotifier } from '../../backend/src/adapters/dynamodb/dynamo-notifier.js';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { DynamoTokenRegistry } from '../../backend/src/adapters/dynamodb/dynamo-token-registry.js';
import { SqsContactQueue } from '../../backend/src/adapters/sqs/sqs-contact-queue.js';
import { contactQueueNames, createContactQueues, deleteContactQueues } from '../../backend/src/adapters/sqs/sqs-queues.js';
import type { AdapterHarness } from '../backend/contracts/adapter-harness.js';
import { describeContactQueueContract } from '../backend/contracts/contact-queue.contract.js';
import { describeDeviceDirectoryContract } from '../backend/contracts/device-directory.contract.js';
import { describeNotifierContract } from '../backend/contracts/notifier.contract.js';
import { describeTokenRegistryContract } from '../backend/contracts/token-registry.contract.js';
import { describeAuditLogContract } from '../backend/contracts/audit-log.contract.js';
import { describeRateLimitStoreContract } from '../backend/contracts/rate-limit-store.contract.js';
import { describeRefreshTokenFamiliesContract } from '../backend/contracts/refresh-token-families.contract.js';
import { DynamoAuditLog } from '../../backend/src/adapters/dynamodb/dynamo-audit-log.js';
import { DynamoRateLimitStore } from '../../backend/src/adapters/dynamodb/dynamo-rate-limit-store.js';
import { DynamoRefreshTokenFamilies } from '../../backend/src/adapters/dynamodb/dynamo-refresh-token-families.js';
import { DAY, NOW } from '../support/builders.js';
import { localAwsClients, uniquePrefix } from './support/aws-clients.js';

const { dynamo, doc, sqs } = localAwsClients();

/** Each adapter on its own fresh tables in DynamoDB Local. */
function onFreshTables<T>(build: (tables: DynamoTableNames) => T): () => Promise<AdapterHarness<T>> {
  return async () => {
    const tables = dynamoTableNames(uniquePrefix());
    await createDynamoTables(dynamo, tables);
    return { adapter: build(tables), close: () => deleteDynamoTables(dynamo, tables) };
  };
}

/** The queue adapter on a fresh queue, DLQ (ElasticMQ) and receipts table (DynamoDB Local). */
async function onFreshQueues(): Promise<AdapterHarness<SqsContactQueue>> {
  const prefix = uniquePrefix();
  const tables = dynamoTableNames(prefix);
  const [urls] = await Promise.all([
    createContactQueues(sqs, contactQueueNames(prefix), { visibilityTimeoutSeconds: 30, maxReceiveCount: 3 }),
    createDynamoTables(dynamo, tables),
  ]);
  const queue = new SqsContactQueue(sqs, doc, { ...urls, receiptsTable: tables.batchReceipts, receiptRetentionMs: 14 * DAY }, () => NOW);
  return {
    adapter: queue,
    close: async () => {
      await Promise.all([deleteContactQueues(sqs, urls), deleteDynamoTables(dynamo, tables)]);
    },
  };
}

describeTokenRegistryContract('dynamodb', onFreshTables((tables) => new DynamoTokenRegistry(doc, tables.tokenIssuances)));
describeDeviceDirectoryContract('dynamodb', onFreshTables((tables) => new DynamoDeviceDirectory(doc, tables)));
describeNotifierContract('dynamodb', onFreshTables((tables) => new DynamoNotifier(doc, tables.notifications)));
describeContactQueueContract('sqs', onFreshQueues);
describeRateLimitStoreContract('dynamodb', onFreshTables((tables) => new DynamoRateLimitStore(doc, tables.rateLimits)));
describeRefreshTokenFamiliesContract('dynamodb', onFreshTables((tables) => new DynamoRefreshTokenFamilies(doc, tables.refreshFamilies)));
describeAuditLogContract('dynamodb', onFreshTables((tables) => new DynamoAuditLog(doc, tables.auditLog, 400 * 86_400_000)));
