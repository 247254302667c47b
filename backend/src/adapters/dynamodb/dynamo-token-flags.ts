import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeviceNumber } from '../../domain/device.js';
import type { TokenFlag, TokenFlags } from '../../ports/token-flags.js';
import { deleteKeys, isConditionalCheckFailed, named, queryAll, scanAll } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

/** Flags by (device, window); a small table (flags are rare), scanned to list them. TTL: the contacts' retention. */
export class DynamoTokenFlags implements TokenFlags {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionMs: number,
  ) {}

  async record(flags: readonly TokenFlag[]): Promise<void> {
    await Promise.all(
      flags.map(async (f) => {
        try {
          await this.db.send(
            new PutCommand(
              named({
                TableName: this.table,
                Item: {
                  device: f.device,
                  windowStartMinute: f.windowStartMinute,
                  reason: f.reason,
                  reporters: f.reporters,
                  flaggedAt: f.flaggedAt.getTime(),
                  [TTL_ATTRIBUTE]: ttlSeconds(f.flaggedAt.getTime() + this.retentionMs),
                },
                ConditionExpression: 'attribute_not_exists(#device)',
              }),
            ),
          );
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }),
    );
  }

  async list(limit: number): Promise<TokenFlag[]> {
    const items = await scanAll(this.db, { TableName: this.table });
    return items
      .map((i) => ({ device: i.device as number, windowStartMinute: i.windowStartMinute as number, reason: i.reason as TokenFlag['reason'], reporters: i.reporters as number, flaggedAt: new Date(i.flaggedAt as number) }))
      .sort((a, b) => b.flaggedAt.getTime() - a.flaggedAt.getTime() || a.device - b.device)
      .slice(0, limit);
  }

  async deleteFor(device: DeviceNumber): Promise<number> {
    const keys = await queryAll(this.db, { TableName: this.table, KeyConditionExpression: '#device = :device', ExpressionAttributeValues: { ':device': device }, ProjectionExpression: '#device, #windowStartMinute' });
    return deleteKeys(this.db, this.table, keys);
  }

  async purgeOlderThan(before: Date): Promise<number> {
    const keys = await scanAll(this.db, { TableName: this.table, FilterExpression: '#flaggedAt < :before', ExpressionAttributeValues: { ':before': before.getTime() }, ProjectionExpression: '#device, #windowStartMinute' });
    return deleteKeys(this.db, this.table, keys);
  }
}
