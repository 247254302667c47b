import type { Logger } from '@aws-lambda-powertools/logger';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';

export interface SqsEventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Goes into each record's eventSourceARN, as Lambda's event source mapping sets it. */
  queueArn: string;
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  /** Messages per invocation; SQS returns at most 10 per receive. */
  batchSize: number;
  /** Long-poll wait per receive (0–20 s). */
  waitTimeSeconds: number;
  logger: Logger;
}

const SQS_RECEIVE_LIMIT = 10;

/**
 * Plays Lambda's SQS event source against a real SQS API (ElasticMQ locally): receives a batch,
 * invokes the consumer with an SQS event, and deletes the records that were not reported as
 * failures. Failed records come back after the visibility timeout, and the queue's redrive policy
 * moves a record that keeps failing to the DLQ, as in AWS.
 */
export class SqsEventSource {
  constructor(private readonly options: SqsEventSourceOptions) {}

  /** Receives and handles one batch; returns how many messages it handled. */
  async pollOnce(): Promise<number> {
    const { sqs, queueUrl } = this.options;
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(SQS_RECEIVE_LIMIT, this.options.batchSize),
        WaitTimeSeconds: this.options.waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) return 0;
    const records = messages.map((message) => this.toRecord(message));
    const response = await this.options.handler({ Records: records }, localLambdaContext('processContactBatches'));
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })),
        }),
      );
    }
    if (failed.size > 0) this.options.logger.warn('contact batches failed; they will be retried', { failed: failed.size });
    return messages.length;
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

function toLambdaAttributes(attributes: NonNullable<Message['MessageAttributes']>): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { dataType: value.DataType ?? 'String', stringValue: value.StringValue, stringListValues: [], binaryListValues: [] },
    ]),
  );
}
