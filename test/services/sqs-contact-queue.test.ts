import { DeleteQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { SqsContactQueue } from '../../backend/src/adapters/sqs/sqs-contact-queue.js';
import { contactQueueNames, createContactQueues, deleteContactQueues, type ContactQueueUrls } from '../../backend/src/adapters/sqs/sqs-queues.js';
import { DAY, NOW } from '../support/builders.js';
import { localAwsClients, uniquePrefix } from './support/aws-clients.js';

const { dynamo, doc, sqs } = localAwsClients();
const MAX_RECEIVES = 2;

/** The prefix a queue URL was made from (`…/<prefix>contacts`). */
const prefixOf = (urls: ContactQueueUrls) => urls.queueUrl.slice(urls.queueUrl.lastIndexOf('/') + 1).replace(/contacts$/, '');

describe('SqsContactQueue on ElasticMQ', () => {
  let tables: DynamoTableNames;
  let urls: ContactQueueUrls;
  let queue: SqsContactQueue;
  beforeEach(async () => {
    const prefix = uniquePrefix();
    tables = dynamoTableNames(prefix);
    [urls] = await Promise.all([
      createContactQueues(sqs, contactQueueNames(prefix), { visibilityTimeoutSeconds: 30, maxReceiveCount: MAX_RECEIVES }),
      createDynamoTables(dynamo, tables),
    ]);
    queue = new SqsContactQueue(sqs, doc, { ...urls, receiptsTable: tables.batchReceipts, receiptRetentionMs: 14 * DAY }, () => NOW);
  });
  afterEach(() => Promise.all([deleteContactQueues(sqs, urls), deleteDynamoTables(dynamo, tables)]));

  const receive = (QueueUrl: string, VisibilityTimeout = 30) =>
    sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout, MessageAttributeNames: ['All'] }));

  it('sends the body with its dedup key and keeps a receipt with a TTL', async () => {
    await queue.enqueue('{"n":1}', 'r:1', 'h1', 1);
    const { Messages = [] } = await receive(urls.queueUrl);
    expect(Messages.map((m) => [m.Body, m.MessageAttributes?.dedupKey?.StringValue])).toEqual([['{"n":1}', 'r:1']]);
    const { Item } = await doc.send(new GetCommand({ TableName: tables.batchReceipts, Key: { reporter: 1, dedupKey: 'r:1' } }));
    expect(Item).toMatchObject({ contentHash: 'h1', state: 'sent', ttl: (NOW.getTime() + 14 * DAY) / 1000 });
    expect(await queue.stats()).toMatchObject({ backlog: 0, inFlight: 1 });
  });

  it('sends a batch whose receipt a crash left pending, once', async () => {
    await doc.send(new PutCommand({ TableName: tables.batchReceipts, Item: { reporter: 1, dedupKey: 'r:1', contentHash: 'h1', state: 'pending' } }));
    expect(await queue.enqueue('{"n":1}', 'r:1', 'h1', 1)).toEqual({ enqueued: true });
    expect(await queue.enqueue('{"n":1}', 'r:1', 'h1', 1)).toEqual({ enqueued: false });
    expect((await queue.stats()).backlog).toBe(1);
  });

  it('fails the enqueue while SQS refuses, and sends the batch on the client’s retry', async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: urls.queueUrl }));
    await expect(queue.enqueue('{"n":1}', 'r:1', 'h1', 1)).rejects.toThrow();
    urls = await createContactQueues(sqs, contactQueueNames(prefixOf(urls)), { visibilityTimeoutSeconds: 30, maxReceiveCount: MAX_RECEIVES });
    expect(await queue.enqueue('{"n":1}', 'r:1', 'h1', 1)).toEqual({ enqueued: true });
    expect(await queue.enqueue('{"n":1}', 'r:1', 'h1', 1)).toEqual({ enqueued: false });
    expect((await queue.stats()).backlog).toBe(1);
  });

  it('dead-letters with the reason and attempts as message attributes', async () => {
    await queue.deadLetter('not json', 'message is not JSON', 3);
    const { Messages = [] } = await receive(urls.deadLetterQueueUrl);
    expect(Messages[0]?.Body).toBe('not json');
    expect(Messages[0]?.MessageAttributes?.reason?.StringValue).toBe('message is not JSON');
    expect(Messages[0]?.MessageAttributes?.attempts?.StringValue).toBe('3');
  });

  it('lets the queue’s redrive move a message received too often to the dead-letter queue', async () => {
    await queue.enqueue('{"n":1}', 'r:1', 'h1', 1);
    for (let i = 0; i < MAX_RECEIVES; i++) expect((await receive(urls.queueUrl, 0)).Messages).toHaveLength(1);
    expect((await receive(urls.queueUrl, 0)).Messages ?? []).toHaveLength(0);
    expect(await queue.stats()).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 1 });
  });

  it('sends concurrent enqueues through SendMessageBatch, and an entry SQS refuses fails only its own enqueue', async () => {
    const send = vi.spyOn(sqs, 'send');
    try {
      // U+0000 is outside the characters SQS allows in a message body.
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) => queue.enqueue(i === 4 ? '{"n":"\u0000"}'.replace('\\u0000', '\u0000') : `{"n":${i}}`, `r:${i}`, `h${i}`, 1)),
      );
      // How many share a call depends on when their receipt claims come back; every message goes through a batch call.
      const sizes = send.mock.calls.map(([command]) => command).flatMap((command) => (command instanceof SendMessageBatchCommand ? [command.input.Entries!.length] : []));
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(12);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
      expect(results.map((r) => r.status)).toEqual(Array.from({ length: 12 }, (_, i) => (i === 4 ? 'rejected' : 'fulfilled')));
    } finally {
      send.mockRestore();
    }
    let received = 0;
    for (let i = 0; i < 5 && received < 11; i++) received += (await receive(urls.queueUrl)).Messages?.length ?? 0;
    expect(received).toBe(11);
  });
});
