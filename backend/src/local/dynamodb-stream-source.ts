import type { Logger } from '@aws-lambda-powertools/logger';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';
import { PollingLoop } from './polling-loop.js';

export interface DynamoDbStreamSourceOptions {
  streams: DynamoDBStreamsClient;
  dynamo: DynamoDBClient;
  table: string;
  handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
  batchSize: number;
  idleDelayMs: number;
  /** A record the handler reported as failed is offered again after this long (Lambda's retry). */
  retryDelayMs: number;
  logger: Logger;
}

/**
 * Plays, on the local stack with BACKEND=aws, Lambda's event source mapping for the tracing
 * outbox's DynamoDB stream. It starts reading every shard at LATEST and then scans the outbox
 * table once for the tasks already waiting (a real mapping keeps its position across restarts; a
 * scan of the small table of waiting tasks gives the same effect without storing a position). A
 * task met both ways is run twice, which tasks allow. Failed records are offered again later.
 */
export class DynamoDbStreamSource {
  private readonly loop: PollingLoop;
  private readonly iterators = new Map<string, string | undefined>();
  private retries: { record: DynamoDBRecord; dueAt: number }[] = [];
  private backlog: DynamoDBRecord[] = [];
  private streamArn: string | undefined;
  private lastShardScan = 0;

  constructor(private readonly options: DynamoDbStreamSourceOptions) {
    this.loop = new PollingLoop(() => this.pollOnce(), options.idleDelayMs, options.logger, 'tracing stream');
  }

  /** Positions on the stream, then takes the tasks already waiting. */
  async prepare(): Promise<void> {
    const { Table } = await this.options.dynamo.send(new DescribeTableCommand({ TableName: this.options.table }));
    this.streamArn = Table?.LatestStreamArn;
    if (!this.streamArn) throw new Error(`table ${this.options.table} has no stream`);
    await this.discoverShards('LATEST');
    this.backlog = await this.waitingTasks();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Reads every shard once (and what is due for a retry) and hands it to the handler; returns how many records. */
  async pollOnce(): Promise<number> {
    if (!this.streamArn) await this.prepare();
    if (Date.now() - this.lastShardScan > 10_000) await this.discoverShards('TRIM_HORIZON');
    const records: DynamoDBRecord[] = this.backlog.splice(0, this.options.batchSize);
    const now = Date.now();
    const due = this.retries.filter((r) => r.dueAt <= now);
    this.retries = this.retries.filter((r) => r.dueAt > now);
    records.push(...due.map((r) => r.record));
    for (const [shardId, iterator] of this.iterators) {
      if (!iterator || records.length >= this.options.batchSize) continue;
      const page = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize - records.length }));
      this.iterators.set(shardId, page.NextShardIterator);
      records.push(...(page.Records ?? []).map(toLambdaRecord));
    }
    const inserted = records.filter((r) => r.eventName === 'INSERT');
    if (inserted.length === 0) return 0;
    const response = await this.options.handler({ Records: inserted }, localLambdaContext('traceExposures'));
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    for (const record of inserted) {
      if (failed.has(record.dynamodb?.SequenceNumber ?? '')) this.retries.push({ record, dueAt: Date.now() + this.options.retryDelayMs });
    }
    return inserted.length;
  }

  /** Runs until nothing is left to read or retry now (tests). */
  async drain(): Promise<number> {
    let total = 0;
    for (let handled = await this.pollOnce(); handled > 0; handled = await this.pollOnce()) total += handled;
    return total;
  }

  /** New shards (a stream rolls its shards over) start at their beginning; known ones keep their position. */
  private async discoverShards(startAt: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    this.lastShardScan = Date.now();
    const { StreamDescription } = await this.options.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || this.iterators.has(shard.ShardId)) continue;
      const { ShardIterator } = await this.options.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shard.ShardId, ShardIteratorType: this.iterators.size === 0 ? startAt : 'TRIM_HORIZON' }),
      );
      this.iterators.set(shard.ShardId, ShardIterator);
    }
  }

  private async waitingTasks(): Promise<DynamoDBRecord[]> {
    const records: DynamoDBRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.options.dynamo.send(new ScanCommand({ TableName: this.options.table, ConsistentRead: true, ExclusiveStartKey: ExclusiveStartKey as never }));
      for (const [i, item] of (page.Items ?? []).entries()) {
        records.push({
          eventID: `scan-${records.length}-${i}`,
          eventName: 'INSERT',
          eventSource: 'aws:dynamodb',
          dynamodb: { SequenceNumber: `scan-${records.length}`, NewImage: item as never, StreamViewType: 'NEW_IMAGE' },
        });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records;
  }
}

/** The SDK's stream record as Lambda hands it to a function (the shapes differ only in types). */
function toLambdaRecord(record: StreamRecord): DynamoDBRecord {
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      SequenceNumber: record.dynamodb?.SequenceNumber,
      NewImage: record.dynamodb?.NewImage as never,
      StreamViewType: record.dynamodb?.StreamViewType,
    },
  };
}
