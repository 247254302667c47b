import { DynamoDeviceDirectory } from '../../adapters/dynamodb/dynamo-device-directory.js';
import { DynamoExposureLedger } from '../../adapters/dynamodb/dynamo-exposure-ledger.js';
import { DynamoInfectionReports } from '../../adapters/dynamodb/dynamo-infection-reports.js';
import { DynamoPseudonymKeys } from '../../adapters/dynamodb/dynamo-pseudonym-keys.js';
import { DynamoTokenFlags } from '../../adapters/dynamodb/dynamo-token-flags.js';
import { DynamoTokenRegistry } from '../../adapters/dynamodb/dynamo-token-registry.js';
import { DynamoTracingOutbox } from '../../adapters/dynamodb/dynamo-tracing-outbox.js';
import { analyticsIndexNames } from '../../adapters/search/analytics-indices.js';
import { SearchAnalyticsStore } from '../../adapters/search/search-analytics-store.js';
import { SearchContactStore } from '../../adapters/search/search-contact-store.js';
import { SqsContactQueue } from '../../adapters/sqs/sqs-contact-queue.js';
import { SqsDeadLetters } from '../../adapters/sqs/sqs-dead-letters.js';
import { dynamoDocuments } from './dynamo-client.js';
import { searchEngine } from './search-engine.js';
import { sqsClient } from './sqs-client.js';
import type { AwsContext } from './aws-context.js';

/**
 * Each storage and messaging port on DynamoDB, SQS and the search engine, one builder each, so that a
 * function's bundle holds only the adapters (and SDK clients) of the ports it uses. Built once per context.
 */
export const devices = (c: AwsContext) =>
  c.once('devices', () => new DynamoDeviceDirectory(dynamoDocuments(c), c.tables, c.config.retention.erasedNumbersMs, c.clock));

export const tokenRegistry = (c: AwsContext) => c.once('tokenRegistry', () => new DynamoTokenRegistry(dynamoDocuments(c), c.tables.tokenIssuances));

export const contacts = (c: AwsContext) => c.once('contacts', () => new SearchContactStore(searchEngine(c), c.indices, c.clock));

export const queue = (c: AwsContext) =>
  c.once('queue', () => new SqsContactQueue(sqsClient(c), dynamoDocuments(c), { ...c.urls, receiptsTable: c.tables.batchReceipts, receiptRetentionMs: c.config.retention.contactsMs }, c.clock));

export const outbox = (c: AwsContext) =>
  c.once(
    'outbox',
    () =>
      new DynamoTracingOutbox(dynamoDocuments(c), sqsClient(c), { table: c.tables.tracingOutbox, deadLetterQueueUrl: c.urls.tracingDeadLetterQueueUrl, maxAttempts: c.config.queue.maxReceives }, c.clock),
  );

export const ledger = (c: AwsContext) =>
  c.once('ledger', () => new DynamoExposureLedger(dynamoDocuments(c), { table: c.tables.exposures, outboxTable: c.tables.tracingOutbox, retentionMs: c.config.retention.notificationsMs }));

export const reports = (c: AwsContext) => {
  const retention = c.config.retention;
  return c.once(
    'reports',
    () =>
      new DynamoInfectionReports(dynamoDocuments(c), {
        tables: c.tables,
        caseRetentionMs: retention.casesMs,
        codeRetentionMs: retention.verificationCodesMs,
        exposureRetentionMs: retention.notificationsMs,
      }),
  );
};

export const deadLetters = (c: AwsContext) => c.once('deadLetters', () => new SqsDeadLetters(sqsClient(c), { ...c.urls, requeueTask: (task) => outbox(c).enqueue([task]) }));

export const tokenFlags = (c: AwsContext) => c.once('tokenFlags', () => new DynamoTokenFlags(dynamoDocuments(c), c.tables.tokenFlags, c.config.retention.contactsMs));

export const analytics = (c: AwsContext) => c.once('analytics', () => new SearchAnalyticsStore(searchEngine(c), analyticsIndexNames(c.indices.prefix)));

export const pseudonymKeys = (c: AwsContext) =>
  c.once('pseudonymKeys', () => new DynamoPseudonymKeys(dynamoDocuments(c), c.tables.analyticsKeys, c.config.analytics.retention, c.clock));
