import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ReceivedMessage, SqliteContactQueue } from '../adapters/sqlite/sqlite-contact-queue.js';
import { localLambdaContext } from './lambda-context.js';
import { PollingLoop } from './polling-loop.js';

export interface QueuePollerOptions {
  queue: SqliteContactQueue;
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  batchSize: number;
  /** How long to wait before polling again when the queue was empty. */
  idleDelayMs: number;
  logger: Logger;
}

/**
 * Plays Lambda's SQS event source on the local stack: receives messages, invokes the consumer
 * handler with an SQS event, and deletes what succeeded. Failed messages stay invisible until
 * their visibility timeout, as in SQS.
 */
export class QueuePoller {
  private readonly loop: PollingLoop;

  constructor(private readonly options: QueuePollerOptions) {
    this.loop = new PollingLoop(() => this.pollOnce(), options.idleDelayMs, options.logger, 'queue');
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Polls once; returns how many messages were handled. */
  async pollOnce(): Promise<number> {
    const messages = await this.options.queue.receive(this.options.batchSize);
    if (messages.length === 0) return 0;
    const response = await this.options.handler({ Records: messages.map(toSqsRecord) }, localLambdaContext('processContactBatches'));
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    await this.options.queue.delete(messages.filter((m) => !failed.has(m.messageId)).map((m) => m.receiptHandle));
    if (failed.size > 0) this.options.logger.warn('contact batches failed; they will be retried', { failed: failed.size });
    return messages.length;
  }
}

function toSqsRecord(message: ReceivedMessage): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt.getTime()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt.getTime()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:contact-batches',
    awsRegion: 'local',
  };
}
