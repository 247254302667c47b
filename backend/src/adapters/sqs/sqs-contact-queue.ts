import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeviceNumber } from '../../domain/device.js';
import { BatchWriteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictingBatchError, type ContactQueue, type EnqueueResult, type QueueStats } from '../../ports/contact-queue.js';
import { deleteKeys, isConditionalCheckFailed, named, queryAll } from '../dynamodb/dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from '../dynamodb/dynamo-tables.js';
import { SameTickBatcher } from '../same-tick-batcher.js';
import { eachDeadLetter } from './sqs-dead-letters.js';
import type { ContactQueueUrls } from './sqs-queues.js';

export interface SqsContactQueueOptions extends ContactQueueUrls {
  /** DynamoDB table of batch receipts (dedup key → content hash). */
  receiptsTable: string;
  /** How long a receipt is kept (DynamoDB TTL): re-posts within it are recognised. */
  receiptRetentionMs: number;
}

/** Longest dead-letter reason kept as a message attribute. */
const MAX_REASON_LENGTH = 4096;
/** SendMessageBatch takes 10 entries of together at most 256 KiB (the classic limit, kept for compatibility). */
const SEND_BATCH_ENTRIES = 10;
const SEND_BATCH_BYTES = 256 * 1024;
const BATCH_WRITE_ITEMS = 25;

type Receipt = { contentHash: string; state: 'pending' | 'sent' };
type Outgoing = { body: string; dedupKey: string };
type SentMark = { reporter: DeviceNumber; dedupKey: string; contentHash: string; acceptedAt: number };

/**
 * The producer side of the contact queue on SQS. SQS standard queues do not de-duplicate, so each
 * batch first claims a receipt in DynamoDB with a conditional put: the claim decides between a new
 * batch, a harmless re-post and a conflicting reuse of the batch id. The receipt stays `pending`
 * until SendMessage succeeded; a re-post that finds it pending sends again (the consumer applies a
 * batch at most once per key, so a second message is harmless) and so no accepted batch is lost to
 * a crash between the two writes.
 */
export class SqsContactQueue implements ContactQueue {
  private readonly sends = new SameTickBatcher<Outgoing, void>(
    (messages) => this.sendBatch(messages),
    (group) => group.length <= SEND_BATCH_ENTRIES && group.reduce((bytes, m) => bytes + Buffer.byteLength(m.body) + m.dedupKey.length + 16, 0) <= SEND_BATCH_BYTES,
  );
  private readonly sentMarks = new SameTickBatcher<SentMark, void>((marks) => this.markSent(marks), (group) => group.length <= BATCH_WRITE_ITEMS);

  constructor(
    private readonly sqs: SQSClient,
    private readonly db: DynamoDBDocumentClient,
    private readonly options: SqsContactQueueOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Concurrent enqueues in one process share SendMessageBatch and BatchWriteItem calls. */
  async enqueue(body: string, dedupKey: string, contentHash: string, reporter: DeviceNumber): Promise<EnqueueResult> {
    const acceptedAt = this.now().getTime();
    const mark = { reporter, dedupKey, contentHash, acceptedAt };
    const existing = await this.claim(mark);
    if (existing) {
      if (existing.contentHash !== contentHash) throw new ConflictingBatchError(dedupKey);
      if (existing.state === 'sent') return { enqueued: false };
    }
    await this.sends.add({ body, dedupKey });
    // Only an optimisation (a re-post of a pending batch sends it again, harmlessly): not retried.
    await this.sentMarks.add(mark).catch(() => {});
    return { enqueued: true };
  }

  async deadLetter(body: string, reason: string, attempts: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.deadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: reason.slice(0, MAX_REASON_LENGTH) || 'unknown' },
          attempts: { DataType: 'Number', StringValue: String(attempts) },
          failedAt: { DataType: 'Number', StringValue: String(this.now().getTime()) },
          source: { DataType: 'String', StringValue: 'contacts' },
        },
      }),
    );
  }

  async stats(): Promise<QueueStats> {
    const [queue, dead] = await Promise.all([this.attributes(this.options.queueUrl), this.attributes(this.options.deadLetterQueueUrl)]);
    return {
      backlog: queue.visible,
      inFlight: queue.inFlight,
      deadLettered: dead.visible + dead.inFlight,
      // SQS has no API for the oldest message's age (CloudWatch's ApproximateAgeOfOldestMessage has it).
      oldestAgeSeconds: 0,
    };
  }

  async forgetReporter(device: DeviceNumber, scrub: (body: string) => string | undefined): Promise<number> {
    const receipts = await queryAll(this.db, {
      TableName: this.options.receiptsTable,
      KeyConditionExpression: '#reporter = :reporter',
      ExpressionAttributeValues: { ':reporter': device },
      ProjectionExpression: '#reporter, #dedupKey',
    });
    await deleteKeys(this.db, this.options.receiptsTable, receipts);
    // Messages still on the main queue cannot be deleted by content: the consumer drops those of erased reporters.
    return eachDeadLetter(this.sqs, this.options.deadLetterQueueUrl, (letter) => {
      const reporter = reporterOf(letter.body);
      if (reporter === device) return { action: 'delete' };
      const scrubbed = scrub(letter.body);
      return scrubbed === undefined ? { action: 'keep' } : { action: 'replace', body: scrubbed };
    });
  }

  async purge(_receiptsBefore: Date, deadLettersBefore: Date): Promise<{ batchReceipts: number; deadLetters: number }> {
    // Receipts expire by DynamoDB TTL (set at acceptance): a table of ~10^9 items is never scanned.
    // Both dead-letter queues, as SQLite's one dead_letters table: SQS alone would keep the tracer's 14 days.
    let deadLetters = 0;
    for (const url of [this.options.deadLetterQueueUrl, this.options.tracingDeadLetterQueueUrl]) {
      deadLetters += await eachDeadLetter(this.sqs, url, (letter) => (letter.failedAt < deadLettersBefore.getTime() ? { action: 'delete' } : { action: 'keep' }));
    }
    return { batchReceipts: 0, deadLetters };
  }

  /** Writes a pending receipt unless one exists; returns the existing receipt, or undefined when this call claimed it. */
  private async claim(mark: SentMark): Promise<Receipt | undefined> {
    try {
      await this.db.send(
        new PutCommand(named({ TableName: this.options.receiptsTable, Item: this.receipt(mark, 'pending'), ConditionExpression: 'attribute_not_exists(#dedupKey)' })),
      );
      return undefined;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const { Item: item } = await this.db.send(
      new GetCommand({ TableName: this.options.receiptsTable, Key: { reporter: mark.reporter, dedupKey: mark.dedupKey }, ConsistentRead: true }),
    );
    if (!item) return this.claim(mark); // expired between the put and the read
    return { contentHash: item.contentHash as string, state: item.state as Receipt['state'] };
  }

  private receipt(mark: SentMark, state: Receipt['state']) {
    return { ...mark, state, [TTL_ATTRIBUTE]: ttlSeconds(mark.acceptedAt + this.options.receiptRetentionMs) };
  }

  private async sendBatch(messages: readonly Outgoing[]): Promise<(void | Error)[]> {
    const { Failed: failed = [] } = await this.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: this.options.queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.body, MessageAttributes: { dedupKey: { DataType: 'String', StringValue: m.dedupKey } } })),
      }),
    );
    const failures = new Map(failed.map((f) => [f.Id, new Error(`SQS refused batch ${messages[Number(f.Id)]?.dedupKey}: ${f.Code} ${f.Message ?? ''}`)]));
    return messages.map((_, i) => failures.get(String(i)));
  }

  /** The receipts this process just sent, rewritten whole as `sent` (BatchWriteItem cannot update). */
  private async markSent(marks: readonly SentMark[]): Promise<void[]> {
    await this.db.send(new BatchWriteCommand({ RequestItems: { [this.options.receiptsTable]: marks.map((m) => ({ PutRequest: { Item: this.receipt(m, 'sent') } })) } }));
    return marks.map(() => undefined);
  }

  private async attributes(QueueUrl: string): Promise<{ visible: number; inFlight: number }> {
    const { Attributes: a = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
  }
}

function reporterOf(body: string): number | undefined {
  try {
    const reporter = (JSON.parse(body) as { batch?: { reporter?: unknown } }).batch?.reporter;
    return typeof reporter === 'number' ? reporter : undefined;
  } catch {
    return undefined;
  }
}
