import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictingBatchError, type ContactQueue, type EnqueueResult, type QueueStats } from '../../ports/contact-queue.js';
import { isConditionalCheckFailed, named } from '../dynamodb/dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from '../dynamodb/dynamo-tables.js';
import type { ContactQueueUrls } from './sqs-queues.js';

export interface SqsContactQueueOptions extends ContactQueueUrls {
  /** DynamoDB table of batch receipts (dedup key → content hash). */
  receiptsTable: string;
  /** How long a receipt is kept (DynamoDB TTL): re-posts within it are recognised. */
  receiptRetentionMs: number;
}

/** Longest dead-letter reason kept as a message attribute. */
const MAX_REASON_LENGTH = 4096;

type Receipt = { contentHash: string; state: 'pending' | 'sent' };

/**
 * The producer side of the contact queue on SQS. SQS standard queues do not de-duplicate, so each
 * batch first claims a receipt in DynamoDB with a conditional put: the claim decides between a new
 * batch, a harmless re-post and a conflicting reuse of the batch id. The receipt stays `pending`
 * until SendMessage succeeded; a re-post that finds it pending sends again (the consumer applies a
 * batch at most once per key, so a second message is harmless) and so no accepted batch is lost to
 * a crash between the two writes.
 */
export class SqsContactQueue implements ContactQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly db: DynamoDBDocumentClient,
    private readonly options: SqsContactQueueOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async enqueue(body: string, dedupKey: string, contentHash: string): Promise<EnqueueResult> {
    const existing = await this.claim(dedupKey, contentHash);
    if (existing) {
      if (existing.contentHash !== contentHash) throw new ConflictingBatchError(dedupKey);
      if (existing.state === 'sent') return { enqueued: false };
    }
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.queueUrl,
        MessageBody: body,
        MessageAttributes: { dedupKey: { DataType: 'String', StringValue: dedupKey } },
      }),
    );
    await this.db.send(
      new UpdateCommand(
        named({ TableName: this.options.receiptsTable, Key: { dedupKey }, UpdateExpression: 'SET #state = :sent', ExpressionAttributeValues: { ':sent': 'sent' } }),
      ),
    );
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

  /** Writes a pending receipt unless one exists; returns the existing receipt, or undefined when this call claimed it. */
  private async claim(dedupKey: string, contentHash: string): Promise<Receipt | undefined> {
    const acceptedAt = this.now().getTime();
    try {
      await this.db.send(
        new PutCommand(
          named({
            TableName: this.options.receiptsTable,
            Item: {
              dedupKey,
              contentHash,
              state: 'pending',
              acceptedAt,
              [TTL_ATTRIBUTE]: ttlSeconds(acceptedAt + this.options.receiptRetentionMs),
            },
            ConditionExpression: 'attribute_not_exists(#dedupKey)',
          }),
        ),
      );
      return undefined;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.options.receiptsTable, Key: { dedupKey }, ConsistentRead: true }));
    if (!item) return this.claim(dedupKey, contentHash); // expired between the put and the read
    return { contentHash: item.contentHash as string, state: item.state as Receipt['state'] };
  }

  private async attributes(QueueUrl: string): Promise<{ visible: number; inFlight: number }> {
    const { Attributes: a = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
  }
}
