import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
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
    await queue.enqueue('{"n":1}', 'r:1', 'h1', 1);
    for (let i = 0; i < MAX_RECEIVES; i++) expect(await source.pollOnce()).toBe(1);
    expect(await source.pollOnce()).toBe(0);
    expect(seen.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    expect(seen[0]).toMatchObject({ body: '{"n":1}', eventSource: 'aws:sqs', eventSourceARN: queueArn, messageAttributes: { dedupKey: { stringValue: 'r:1' } } });
    expect(await queue.stats()).toMatchObject({ backlog: 0, deadLettered: 1 });
  });

  it('deletes the records the handler did not report as failed', async () => {
    const source = new SqsEventSource({ sqs, queueUrl: urls.queueUrl, queueArn, batchSize: 10, waitTimeSeconds: 0, logger, handler: async () => ({ batchItemFailures: [] }) });
    await queue.enqueue('{"n":1}', 'r:1', 'h1', 1);
    await queue.enqueue('{"n":2}', 'r:2', 'h2', 1);
    let handled = 0;
    for (let i = 0; i < 5 && handled < 2; i++) handled += await source.pollOnce();
    expect(handled).toBe(2);
    expect(await queue.stats()).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 0 });
  });

  /** These tests keep received messages invisible, as a real queue does (the others use 0 to see redeliveries at once). */
  const hideReceived = () => sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls.queueUrl, Attributes: { VisibilityTimeout: '30' } }));

  it('keeps gathering within the batching window, so messages sent apart share one invocation', async () => {
    await hideReceived();
    const invocations: number[] = [];
    const source = new SqsEventSource({
      sqs,
      queueUrl: urls.queueUrl,
      queueArn,
      batchSize: 20,
      waitTimeSeconds: 1,
      batchingWindowMs: 1500,
      logger,
      handler: async (event) => {
        invocations.push(event.Records.length);
        return { batchItemFailures: [] };
      },
    });
    await Promise.all([1, 2, 3].map((n) => queue.enqueue(`{"n":${n}}`, `r:${n}`, `h${n}`, 1)));
    const polling = source.pollOnce();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await Promise.all([4, 5].map((n) => queue.enqueue(`{"n":${n}}`, `r:${n}`, `h${n}`, 1)));
    expect(await polling).toBe(5);
    expect(invocations).toEqual([5]);
  });

  it('keeps an invocation’s messages hidden while it runs past the visibility timeout, and lets them come back when it fails', async () => {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: urls.queueUrl, Attributes: { VisibilityTimeout: '2' } }));
    let finish!: () => void;
    const running = new Promise<void>((resolve) => (finish = resolve));
    const invoked: string[] = [];
    const slow = new SqsEventSource({
      sqs,
      queueUrl: urls.queueUrl,
      queueArn,
      batchSize: 10,
      waitTimeSeconds: 0,
      visibilityTimeoutSeconds: 2,
      logger,
      handler: async (event) => {
        invoked.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
        await running;
        return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    const other = new SqsEventSource({ sqs, queueUrl: urls.queueUrl, queueArn, batchSize: 10, waitTimeSeconds: 0, logger, handler: async () => ({ batchItemFailures: [] }) });
    await queue.enqueue('{"n":1}', 'r:1', 'h1', 1);
    const first = slow.pollOnce();
    while (invoked.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // Three visibility timeouts later, a second poller still finds nothing: the first invocation holds the message.
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await other.pollOnce()).toBe(0);
    }
    finish();
    expect(await first).toBe(1);
    // Reported failed: no longer held, it comes back once the visibility timeout it was last given ends.
    let handled = 0;
    for (let i = 0; i < 100 && handled === 0; i++) {
      handled = await other.pollOnce();
      if (handled === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect({ handled, firstReceiveCount: invoked[0] }).toEqual({ handled: 1, firstReceiveCount: '1' });
    expect(await queue.stats()).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 0 });
  });

  it('runs as many invocations at once as its concurrency, and stop() waits for them', async () => {
    await hideReceived();
    let running = 0;
    let mostAtOnce = 0;
    let handled = 0;
    const source = new SqsEventSource({
      sqs,
      queueUrl: urls.queueUrl,
      queueArn,
      batchSize: 1,
      waitTimeSeconds: 1,
      concurrency: 3,
      logger,
      handler: async (event) => {
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await new Promise((resolve) => setTimeout(resolve, 300));
        running--;
        handled += event.Records.length;
        return { batchItemFailures: [] };
      },
    });
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => queue.enqueue(`{"n":${n}}`, `r:${n}`, `h${n}`, 1)));
    source.start();
    for (let i = 0; i < 100 && handled < 6; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await source.stop();
    expect(handled).toBe(6);
    expect(mostAtOnce).toBe(3);
    expect(running).toBe(0);
    expect(await queue.stats()).toMatchObject({ backlog: 0, inFlight: 0 });
  });
});
