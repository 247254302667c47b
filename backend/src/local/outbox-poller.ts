import type { Logger } from '@aws-lambda-powertools/logger';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ReceivedTask, SqliteTracingOutbox } from '../adapters/sqlite/sqlite-tracing-outbox.js';
import { taskToJson } from '../ports/tracing-task-json.js';
import { localLambdaContext } from './lambda-context.js';
import { PollingLoop } from './polling-loop.js';

export interface OutboxPollerOptions {
  outbox: SqliteTracingOutbox;
  handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
  batchSize: number;
  idleDelayMs: number;
  logger: Logger;
}

/**
 * Plays, on the embedded stack, the DynamoDB stream that feeds the tracer in AWS: waiting rows of
 * the tracing outbox become INSERT records of a stream event for the very same handler; the
 * handler marks what it ran done, and what failed comes back after the visibility timeout.
 */
export class OutboxPoller {
  private readonly loop: PollingLoop;

  constructor(private readonly options: OutboxPollerOptions) {
    this.loop = new PollingLoop(() => this.pollOnce(), options.idleDelayMs, options.logger, 'tracing outbox');
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Polls once; returns how many tasks were handled. */
  async pollOnce(): Promise<number> {
    const tasks = await this.options.outbox.receive(this.options.batchSize);
    if (tasks.length === 0) return 0;
    // The handler marks what it ran as done; what it reports failed comes back after the visibility timeout.
    await this.options.handler({ Records: tasks.map(toStreamRecord) }, localLambdaContext('traceExposures'));
    return tasks.length;
  }

  /** Runs tasks until none is waiting (tests, and the end of a benchmark). */
  async drain(): Promise<number> {
    let total = 0;
    for (let handled = await this.pollOnce(); handled > 0; handled = await this.pollOnce()) total += handled;
    return total;
  }
}

function toStreamRecord(task: ReceivedTask): DynamoDBRecord {
  return {
    eventID: String(task.seq),
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    dynamodb: {
      SequenceNumber: String(task.seq),
      ApproximateCreationDateTime: task.queuedAt.getTime() / 1000,
      StreamViewType: 'NEW_IMAGE',
      // The SDK's and aws-lambda's AttributeValue types differ only in optionality.
      NewImage: marshall({ key: task.key, task: taskToJson(task.task) }) as unknown as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
    },
  };
}
