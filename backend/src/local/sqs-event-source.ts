import type { Logger } from '@aws-lambda-powertools/logger';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';

export interface SqsEventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Goes into each record's eventSourceARN, as Lambda's event source mapping sets it. */
  queueArn: string;
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  /** Messages per invocation; SQS returns at most 10 per receive, so above 10 several receives are gathered. */
  batchSize: number;
  /** Long-poll wait per receive (0–20 s). */
  waitTimeSeconds: number;
  /** Invocations at once, as the event source mapping runs several pollers; default 1. */
  concurrency?: number;
  /**
   * Lambda's MaximumBatchingWindowInSeconds: after the first message, keep gathering for up to this
   * long while fewer than `batchSize` arrived, so invocations (and their bulk writes) stay large
   * under a moderate load. Default 0: invoke with what one round of receives returned.
   */
  batchingWindowMs?: number;
  /**
   * The queue's visibility timeout. While an invocation runs, its messages are hidden again every
   * half of it, so that no second invocation receives them. Lambda gets the same from its rule that
   * the visibility timeout is at least six times the function's timeout; the local poller has no
   * function timeout, and a slow invocation on a loaded machine would otherwise see its messages
   * delivered twice and their receive counts run up to the redrive limit.
   */
  visibilityTimeoutSeconds?: number;
  logger: Logger;
}

const SQS_RECEIVE_LIMIT = 10;
/** After a failed poll (engine down, throttled), wait this long before the next. */
const ERROR_BACKOFF_MS = 1000;

/**
 * Plays Lambda's SQS event source against a real SQS API (ElasticMQ locally): receives a batch,
 * invokes the consumer with an SQS event, and deletes the records that were not reported as
 * failures. Failed records come back after the visibility timeout, and the queue's redrive policy
 * moves a record that keeps failing to the DLQ, as in AWS. `start()` keeps polling (long polls of
 * `waitTimeSeconds`) until `stop()`, as the event source mapping does for a deployed consumer.
 */
export class SqsEventSource {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly aborts = new Set<AbortController>();

  constructor(private readonly options: SqsEventSourceOptions) {}

  /** Receives one batch (several receives when batchSize > 10) and handles it; returns how many messages it handled. */
  async pollOnce(signal?: AbortSignal): Promise<number> {
    const messages = await this.gather(signal);
    if (messages.length === 0) return 0;
    const records = messages.map((message) => this.toRecord(message));
    const stopHiding = this.keepHidden(records);
    const response = await this.options.handler({ Records: records }, localLambdaContext('processContactBatches')).finally(stopHiding);
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    await this.deleteAll(records.filter((record) => !failed.has(record.messageId)));
    if (failed.size > 0) this.options.logger.warn('contact batches failed; they will be retried', { failed: failed.size });
    return messages.length;
  }

  /** Polls continuously, `concurrency` pollers at once, until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency ?? 1 }, () => this.run());
  }

  /** Cancels the receives under way (their messages come back after the visibility timeout), finishes the invocations under way, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    for (const abort of this.aborts) abort.abort();
    await Promise.all(this.loops);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const abort = new AbortController();
      this.aborts.add(abort);
      try {
        await this.pollOnce(abort.signal);
      } catch (error) {
        if (!this.running) break;
        this.options.logger.error('queue poll failed', { error: error as Error });
        await new Promise((resolve) => setTimeout(resolve, ERROR_BACKOFF_MS));
      } finally {
        this.aborts.delete(abort);
      }
    }
  }

  /**
   * The first receive long-polls; further ones follow while the queue keeps returning full
   * receives, or, within the batching window, until the batch is full (long-polling what is left).
   */
  private async gather(signal: AbortSignal | undefined): Promise<Message[]> {
    const messages: Message[] = [];
    let windowEnds = Infinity;
    for (;;) {
      const wanted = Math.min(SQS_RECEIVE_LIMIT, this.options.batchSize - messages.length);
      const windowLeftMs = windowEnds - Date.now();
      const waitSeconds = messages.length === 0 ? this.options.waitTimeSeconds : Math.min(20, Math.floor(Math.max(0, windowLeftMs) / 1000));
      const { Messages: received = [] } = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: wanted,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        signal ? { abortSignal: signal } : {},
      );
      if (messages.length === 0 && received.length > 0) windowEnds = Date.now() + (this.options.batchingWindowMs ?? 0);
      messages.push(...received);
      if (messages.length >= this.options.batchSize || messages.length === 0) return messages;
      if (received.length < wanted) {
        if (Date.now() >= windowEnds) return messages;
        // SQS long polls in whole seconds: pause briefly below that instead of spinning.
        if (received.length === 0 && waitSeconds === 0) await pause(Math.min(50, windowEnds - Date.now()), signal);
      }
    }
  }

  /** Extends the visibility of these records until the returned function is called. */
  private keepHidden(records: readonly SQSRecord[]): () => void {
    const seconds = this.options.visibilityTimeoutSeconds ?? 0;
    if (seconds <= 0) return () => {};
    const hideAgain = async () => {
      for (let start = 0; start < records.length; start += SQS_RECEIVE_LIMIT) {
        const entries = records.slice(start, start + SQS_RECEIVE_LIMIT).map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
        await this.options.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries }));
      }
    };
    const timer = setInterval(() => {
      hideAgain().catch((error: unknown) => this.options.logger.warn('could not extend the visibility of an invocation’s messages', { error: error as Error }));
    }, (seconds * 1000) / 2);
    return () => clearInterval(timer);
  }

  private async deleteAll(records: readonly SQSRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += SQS_RECEIVE_LIMIT) {
      const chunk = records.slice(start, start + SQS_RECEIVE_LIMIT);
      const { Failed: failed = [] } = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: chunk.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })),
        }),
      );
      // Not deleted: delivered again after the visibility timeout; the consumer applies a batch once.
      if (failed.length > 0) this.options.logger.warn('some processed messages were not deleted', { failed: failed.length, first: failed[0]?.Message });
    }
  }

  private toRecord(message: Message): SQSRecord {
    const system = message.Attributes ?? {};
    return {
      messageId: message.MessageId ?? '',
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
        SentTimestamp: system.SentTimestamp ?? '0',
        SenderId: system.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? '0',
      },
      messageAttributes: toLambdaAttributes(message.MessageAttributes ?? {}),
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: this.options.queueArn.split(':')[3] ?? 'local',
    };
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

function toLambdaAttributes(attributes: NonNullable<Message['MessageAttributes']>): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { dataType: value.DataType ?? 'String', stringValue: value.StringValue, stringListValues: [], binaryListValues: [] },
    ]),
  );
}
