import { DynamoDeviceDirectory } from '../../backend/src/adapters/dynamodb/dynamo-device-directory.js';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { DynamoTokenRegistry } from '../../backend/src/adapters/dynamodb/dynamo-token-registry.js';
import { SqsContactQueue } from '../../backend/src/adapters/sqs/sqs-contact-queue.js';
import { contactQueueNames, createContactQueues, deleteContactQueues } from '../../backend/src/adapters/sqs/sqs-queues.js';
import type { AdapterHarness } from '../backend/contracts/adapter-harness.js';
import { describeContactQueueContract } from '../backend/contracts/contact-queue.contract.js';
import { describeDeadLettersContract } from '../backend/contracts/dead-letters.contract.js';
import { describeDeviceDirectoryContract } from '../backend/contracts/device-directory.contract.js';
import { describeTracingStoresContract } from '../backend/contracts/exposure-ledger.contract.js';
import { describeTokenRegistryContract } from '../backend/contracts/token-registry.contract.js';
import { describeAuditLogContract } from '../backend/contracts/audit-log.contract.js';
import { describeRateLimitStoreContract } from '../backend/contracts/rate-limit-store.contract.js';
import { describeRefreshTokenFamiliesContract } from '../backend/contracts/refresh-token-families.contract.js';
import { DynamoAuditLog } from '../../backend/src/adapters/dynamodb/dynamo-audit-log.js';
import { DynamoRateLimitStore } from '../../backend/src/adapters/dynamodb/dynamo-rate-limit-store.js';
import { DynamoRefreshTokenFamilies } from '../../backend/src/adapters/dynamodb/dynamo-refresh-token-families.js';
import { DAY, NOW } from '../support/builders.js';
import { DynamoTokenFlags } from '../../backend/src/adapters/dynamodb/dynamo-token-flags.js';
import { DynamoPseudonymKeys } from '../../backend/src/adapters/dynamodb/dynamo-pseudonym-keys.js';
import { describePseudonymKeysContract } from '../backend/contracts/pseudonym-keys.contract.js';
import { describeTokenFlagsContract } from '../backend/contracts/token-flags.contract.js';
import { awsBackend } from './support/adapter-backend.js';
import { localAwsClients, uniquePrefix } from './support/aws-clients.js';
import { testClock } from '../support/embedded-services.js';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { scanAll } from '../../backend/src/adapters/dynamodb/dynamo-operations.js';
import { taskFromJson } from '../../backend/src/ports/tracing-task-json.js';

const clients = localAwsClients();
const { dynamo, doc, sqs } = clients;

/** Each adapter on its own fresh tables in DynamoDB Local. */
function onFreshTables<T>(build: (tables: DynamoTableNames) => T): () => Promise<AdapterHarness<T>> {
  return async () => {
    const tables = dynamoTableNames(uniquePrefix());
    await createDynamoTables(dynamo, tables);
    return { adapter: build(tables), close: () => deleteDynamoTables(dynamo, tables) };
  };
}

/** The queue adapter on a fresh queue, DLQs (ElasticMQ) and receipts table (DynamoDB Local). */
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
describeDeviceDirectoryContract('dynamodb', (clock) => onFreshTables((tables) => new DynamoDeviceDirectory(doc, tables, 15 * DAY, clock.now))());
describeContactQueueContract('sqs', onFreshQueues);
describeTokenFlagsContract('dynamodb', onFreshTables((tables) => new DynamoTokenFlags(doc, tables.tokenFlags, 21 * DAY)));
describeTracingStoresContract('dynamodb', async () => {
  const backend = await awsBackend({ clients, clock: testClock(NOW) });
  const { ledger, reports, outbox, deadLetters } = backend.services;
  return {
    adapter: {
      ledger,
      reports,
      outbox,
      deadLetters,
      // The tasks still in the outbox table, oldest first: what the stream has handed to no tracer run yet.
      waitingTasks: async () => {
        const items = await scanAll(doc, { TableName: backend.tables.tracingOutbox, ConsistentRead: true });
        return items
          .sort((a, b) => (a.queuedAt as number) - (b.queuedAt as number) || String(a.key).localeCompare(String(b.key)))
          .map((item) => ({ key: item.key as string, task: taskFromJson(item.task as string) }));
      },
      // The outbox counts the attempts itself (the stream redelivers a failed record).
      failAllUntilDeadLettered: async () => {
        const keys = (await scanAll(doc, { TableName: backend.tables.tracingOutbox, ConsistentRead: true })).map((item) => item.key as string);
        for (const key of keys) for (let attempt = 0; attempt < 100 && (await outbox.failed(key, 'the ledger was unavailable')) === 'retry'; attempt++);
      },
    },
    close: () => backend.close(),
  };
});
describeDeadLettersContract('sqs', async () => {
  const backend = await awsBackend({ clients, clock: testClock(NOW), visibilityTimeoutSeconds: 30 });
  return {
    adapter: {
      queue: backend.services.queue,
      deadLetters: backend.services.deadLetters,
      waitingBodies: async () => {
        const bodies: string[] = [];
        for (let handled = 1; handled > 0; ) {
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: backend.urls.queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 0 }));
          bodies.push(...Messages.map((m) => m.Body ?? ''));
          handled = Messages.length;
        }
        return bodies;
      },
    },
    close: () => backend.close(),
  };
});
describeRateLimitStoreContract('dynamodb', onFreshTables((tables) => new DynamoRateLimitStore(doc, tables.rateLimits)));
describeRefreshTokenFamiliesContract('dynamodb', onFreshTables((tables) => new DynamoRefreshTokenFamilies(doc, tables.refreshFamilies)));
describeAuditLogContract('dynamodb', onFreshTables((tables) => new DynamoAuditLog(doc, tables.auditLog, 400 * 86_400_000)));
// The retention the contract states (cases 400 days, encounters 28); the clock in the contract's week, so its keys are live.
describePseudonymKeysContract(
  'dynamodb',
  onFreshTables((tables) => new DynamoPseudonymKeys(doc, tables.analyticsKeys, { cases: 400 * DAY, notifications: 90 * DAY, encounters: 28 * DAY, activity: 90 * DAY, figures: 730 * DAY }, () => NOW)),
);
