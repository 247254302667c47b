import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { SqsContactQueue } from '../../backend/src/adapters/sqs/sqs-contact-queue.js';
import { contactQueueNames, createContactQueues, deleteContactQueues, type ContactQueueUrls } from '../../backend/src/adapters/sqs/sqs-queues.js';
import { createLogger } from '../../backend/src/composition/logger.js';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import { SqsEventSource } from '../../backend/src/local/sqs-event-source.js';
import { DAY } from '../support/builders.js';
import { localAwsClients, uniquePrefix } from './support/aws-clients.js';

const { dynamo, doc, sqs } = localAwsClients();
const MAX_RECEIVES = 3;
const logger = createLogger(loadBackendConfig({ LOG_LEVEL: 'SILENT' }));

describe('SqsEventSource on ElasticMQ', () => {
  let urls: ContactQueueUrls;
  let tables: DynamoTableNames;
  let queue: SqsContactQueue;
  let queueArn: string;
  beforeEach(async () => {
    const prefix = uniquePrefix();
    tables = dynamoTableNames(prefix);
    // visibility 0: a failed record is visible again at once
    [urls] = await Promise.all([
      createContactQueues(sqs, contactQueueNames(prefix), { visibilityTimeoutSeconds: 0, maxReceiveCount: MAX_RECEIVES }),
      createDynamoTables(dynamo, tables),
    ]);
    queue = new SqsContactQueue(sqs, doc, { ...urls, receiptsTable: tables.batchReceipts, receiptRetentionMs: DAY });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: urls.queueUrl, AttributeNames: ['QueueArn'] }));
    queueArn = Attributes!.QueueArn!;
  });
  afterEach(() => Promise.all([deleteContactQueues(sqs, urls), deleteDynamoTables(dynamo, tables)]));

  it('hands the receive count and message attributes to the handler, and leaves failed records to the redrive policy', async () => {
    const seen: SQSEvent['Records'] = [];
    const source = new SqsEventSource({
      sqs,
      queueUrl: urls.queueUrl,
      queueArn,
      batchSize: 10,
      waitTimeSeconds: 0,
      logger,
      handler: async (event) => {
        seen.push(...event.Records);
        return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    await queue.enqueue('{"n":1}', 'r:1', 'h1');
    for (let i = 0; i < MAX_RECEIVES; i++) expect(await source.pollOnce()).toBe(1);
    expect(await source.pollOnce()).toBe(0);
    expect(seen.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    expect(seen[0]).toMatchObject({ body: '{"n":1}', eventSource: 'aws:sqs', eventSourceARN: queueArn, messageAttributes: { dedupKey: { stringValue: 'r:1' } } });
    expect(await queue.stats()).toMatchObject({ backlog: 0, deadLettered: 1 });
  });

  it('deletes the records the handler did not report as failed', async () => {
    const source = new SqsEventSource({ sqs, queueUrl: urls.queueUrl, queueArn, batchSize: 10, waitTimeSeconds: 0, logger, handler: async () => ({ batchItemFailures: [] }) });
    await queue.enqueue('{"n":1}', 'r:1', 'h1');
    await queue.enqueue('{"n":2}', 'r:2', 'h2');
    let handled = 0;
    for (let i = 0; i < 5 && handled < 2; i++) handled += await source.pollOnce();
    expect(handled).toBe(2);
    expect(await queue.stats()).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 0 });
  });
});
