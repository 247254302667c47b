import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeviceNumber } from '../../domain/device.js';
import { tracingTaskDevices, type KeyedTask, type TracingOutbox } from '../../ports/tracing-outbox.js';
import { deadLetteredTaskNames, taskToJson } from '../../ports/tracing-task-json.js';
import { eachDeadLetter } from '../sqs/sqs-dead-letters.js';
import { batchWriteAll, deleteKeys, named, scanAll } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

/** A waiting task is kept at most this long (DynamoDB Streams keep records 24 hours). */
const TASK_TTL_MS = 86_400_000;

export interface DynamoTracingOutboxOptions {
  table: string;
  /** Where a task goes once its attempts are used up, with the reason. */
  deadLetterQueueUrl: string;
  maxAttempts: number;
}

/** The outbox item of a task, for a PutRequest or a transaction's Put. */
export function outboxItem(task: KeyedTask, now: Date): Record<string, unknown> {
  return {
    key: task.key,
    task: taskToJson(task.task),
    devices: tracingTaskDevices(task.task),
    queuedAt: now.getTime(),
    [TTL_ATTRIBUTE]: ttlSeconds(now.getTime() + TASK_TTL_MS),
  };
}

/**
 * The tracing outbox on DynamoDB: one item per waiting task, whose INSERT record on the table's
 * stream invokes the tracer (the stream is the durable hand-off; writers put tasks in the same
 * transaction as what caused them). The tracer deletes a task once it ran, so the table holds only
 * work in progress; a failure is counted on the item and, after the last attempt, the task moves
 * to the tracing dead-letter queue with its reason.
 */
export class DynamoTracingOutbox implements TracingOutbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly sqs: SQSClient,
    private readonly options: DynamoTracingOutboxOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async enqueue(tasks: readonly KeyedTask[]): Promise<void> {
    const unique = new Map(tasks.map((t) => [t.key, t]));
    const now = this.now();
    await batchWriteAll(
      this.db,
      this.options.table,
      [...unique.values()].map((t) => ({ PutRequest: { Item: outboxItem(t, now) } })),
    );
  }

  /** The tracer ran these tasks: they leave the table (their REMOVE records are ignored). */
  async done(keys: readonly string[]): Promise<void> {
    await deleteKeys(this.db, this.options.table, keys.map((key) => ({ key })));
  }

  async failed(key: string, reason: string): Promise<'retry' | 'dead-lettered'> {
    const { Attributes: item } = await this.db.send(
      new UpdateCommand(
        named({
          TableName: this.options.table,
          Key: { key },
          UpdateExpression: 'ADD #attempts :one SET #lastError = :reason',
          ConditionExpression: 'attribute_exists(#key)',
          ExpressionAttributeValues: { ':one': 1, ':reason': reason.slice(0, 1000) },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    ).catch(async (error: unknown) => {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return { Attributes: undefined };
      throw error;
    });
    if (!item) return 'retry';
    const attempts = item.attempts as number;
    if (attempts < this.options.maxAttempts) return 'retry';
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.deadLetterQueueUrl,
        MessageBody: JSON.stringify({ key, task: JSON.parse(item.task as string) as unknown }),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: `failed on attempt ${attempts} of ${this.options.maxAttempts}: ${reason}`.slice(0, 4096) },
          attempts: { DataType: 'Number', StringValue: String(attempts) },
          failedAt: { DataType: 'Number', StringValue: String(this.now().getTime()) },
          source: { DataType: 'String', StringValue: 'tracing' },
        },
      }),
    );
    await this.db.send(new DeleteCommand({ TableName: this.options.table, Key: { key } }));
    return 'dead-lettered';
  }

  async deleteFor(device: DeviceNumber): Promise<number> {
    const items = await scanAll(this.db, { TableName: this.options.table, FilterExpression: 'contains(#devices, :device)', ExpressionAttributeValues: { ':device': device }, ProjectionExpression: '#key', ConsistentRead: true });
    const waiting = await deleteKeys(this.db, this.options.table, items);
    const deadLettered = await eachDeadLetter(this.sqs, this.options.deadLetterQueueUrl, (letter) => (deadLetteredTaskNames(letter.body, device) ? { action: 'delete' } : { action: 'keep' }));
    return waiting + deadLettered;
  }

  async stats(): Promise<{ waiting: number; deadLettered: number }> {
    const [waiting, { Attributes: dead = {} }] = await Promise.all([
      scanAll(this.db, { TableName: this.options.table, ProjectionExpression: '#key' }),
      this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.options.deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })),
    ]);
    return { waiting: waiting.length, deadLettered: Number(dead.ApproximateNumberOfMessages ?? 0) + Number(dead.ApproximateNumberOfMessagesNotVisible ?? 0) };
  }

  /** One task as stored (tests and the dead-letter tool). */
  async get(key: string): Promise<Record<string, unknown> | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.options.table, Key: { key }, ConsistentRead: true }))).Item;
  }
}
