import type { Logger } from '@aws-lambda-powertools/logger';
import { BatchGetItemCommand, DescribeTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
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
 * outbox's DynamoDB stream. A real mapping keeps its position across restarts; this one reads every
 * shard from its oldest record and hands on only the INSERTs whose task still waits in the table
 * (the tracer deletes a task once it ran), which has the same effect without storing a position.
 * Failed records are offered again later, as the mapping retries them.
 */
export class DynamoDbStreamSource {
  private readonly loop: PollingLoop;
  private readonly iterators = new Map<string, string | undefined>();
  private retries: { record: DynamoDBRecord; dueAt: number }[] = [];
  private streamArn: string | undefined;
  private lastShardScan = 0;

  constructor(private readonly options: DynamoDbStreamSourceOptions) {
    this.loop = new PollingLoop(() => this.pollOnce(), options.idleDelayMs, options.logger, 'tracing stream');
  }

  /** Finds the stream and its shards. */
  async prepare(): Promise<void> {
    const { Table } = await this.options.dynamo.send(new DescribeTableCommand({ TableName: this.options.table }));
    this.streamArn = Table?.LatestStreamArn;
    if (!this.streamArn) throw new Error(`table ${this.options.table} has no stream`);
    await this.discoverShards();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Reads every shard once (and what is due for a retry) and hands what still waits to the handler;
   * returns how many tasks ran, -1 when records were read but none still waited, 0 when none came.
   */
  async pollOnce(): Promise<number> {
    if (!this.streamArn) await this.prepare();
    if (Date.now() - this.lastShardScan > 10_000) await this.discoverShards();
    const records: DynamoDBRecord[] = [];
    const now = Date.now();
    const due = this.retries.filter((r) => r.dueAt <= now);
    this.retries = this.retries.filter((r) => r.dueAt > now);
    records.push(...due.map((r) => r.record));
    for (const [shardId, iterator] of this.iterators) {
      if (!iterator || records.length >= this.options.batchSize) continue;
      const page = await this.options.streams
        .send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize - records.length }))
        .catch(async (error: unknown) => {
          // The shard was trimmed past the iterator: start again from its oldest record.
          if (!(error instanceof Error && (error.name === 'TrimmedDataAccessException' || error.name === 'ExpiredIteratorException'))) throw error;
          this.iterators.set(shardId, await this.iteratorAt(shardId));
          return { NextShardIterator: this.iterators.get(shardId), Records: [] };
        });
      this.iterators.set(shardId, page.NextShardIterator);
      records.push(...(page.Records ?? []).map(toLambdaRecord));
    }
    const inserted = await this.stillWaiting(records.filter((r) => r.eventName === 'INSERT'));
    if (inserted.length === 0) return records.length > 0 ? -1 : 0;
    const response = await this.options.handler({ Records: inserted }, localLambdaContext('traceExposures'));
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    for (const record of inserted) {
      if (failed.has(record.dynamodb?.SequenceNumber ?? '')) this.retries.push({ record, dueAt: Date.now() + this.options.retryDelayMs });
    }
    return inserted.length;
  }

  /**
   * Runs until no task waits in the outbox table, nor for a retry (tests); returns how many ran.
   * The stream shows a write a moment after it: an empty read while tasks wait is read again.
   */
  async drain(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let total = 0;
    while ((await this.waitingInTable()) || this.retries.length > 0) {
      if (Date.now() > deadline) throw new Error(`tasks still wait in ${this.options.table} after ${timeoutMs} ms`);
      const handled = await this.pollOnce();
      total += Math.max(0, handled);
      if (handled === 0) await new Promise((resolve) => setTimeout(resolve, this.options.idleDelayMs));
    }
    return total;
  }

  private async waitingInTable(): Promise<boolean> {
    const { Items } = await this.options.dynamo.send(new ScanCommand({ TableName: this.options.table, ConsistentRead: true, Limit: 1 }));
    return (Items?.length ?? 0) > 0;
  }

  /** New shards (a stream rolls its shards over) are read from their oldest record; known ones keep their position. */
  private async discoverShards(): Promise<void> {
    this.lastShardScan = Date.now();
    const { StreamDescription } = await this.options.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (shard.ShardId && !this.iterators.has(shard.ShardId)) this.iterators.set(shard.ShardId, await this.iteratorAt(shard.ShardId));
    }
  }

  private async iteratorAt(shardId: string): Promise<string | undefined> {
    const { ShardIterator } = await this.options.streams.send(new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    return ShardIterator;
  }

  /** The records whose task is still in the table (consistent reads): the others already ran. */
  private async stillWaiting(records: DynamoDBRecord[]): Promise<DynamoDBRecord[]> {
    const keyOf = (r: DynamoDBRecord) => (r.dynamodb?.NewImage as { key?: { S?: string } } | undefined)?.key?.S;
    const keys = [...new Set(records.map(keyOf).filter((k): k is string => k !== undefined))];
    const present = new Set<string>();
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, AttributeValue>[] = keys.slice(i, i + 100).map((key) => ({ key: { S: key } }));
      while (pending.length > 0) {
        const result = await this.options.dynamo.send(
          new BatchGetItemCommand({ RequestItems: { [this.options.table]: { Keys: pending, ConsistentRead: true, ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': 'key' } } } }),
        );
        for (const item of result.Responses?.[this.options.table] ?? []) if (item.key?.S) present.add(item.key.S);
        pending = (result.UnprocessedKeys?.[this.options.table]?.Keys as Record<string, AttributeValue>[] | undefined) ?? [];
      }
    }
    return records.filter((r) => present.has(keyOf(r) ?? ''));
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
