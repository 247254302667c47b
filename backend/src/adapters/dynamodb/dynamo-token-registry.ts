import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeviceNumber } from '../../domain/device.js';
import type { TokenIssuance, TokenRegistry } from '../../ports/token-registry.js';
import { batchWriteAll, countAll, deleteKeys, queryAll, scanAll } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

/**
 * Token issuances keyed by (device, windowStart). DynamoDB's TTL removes expired records on its
 * own (within days); `purgeExpired` removes them exactly, for the retention job and the contract.
 */
export class DynamoTokenRegistry implements TokenRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordIssued(issuances: readonly TokenIssuance[]): Promise<void> {
    // One request must not name a key twice; the same window again overwrites identical values.
    const byKey = new Map(issuances.map((i) => [`${i.device}:${i.windowStart.getTime()}`, i]));
    await batchWriteAll(
      this.db,
      this.table,
      [...byKey.values()].map((i) => ({
        PutRequest: {
          Item: {
            device: i.device,
            windowStart: i.windowStart.getTime(),
            validUntil: i.validUntil.getTime(),
            keyId: i.keyId,
            [TTL_ATTRIBUTE]: ttlSeconds(i.validUntil),
          },
        },
      })),
    );
  }

  countFor(device: DeviceNumber): Promise<number> {
    return countAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: '#device = :device',
      ExpressionAttributeValues: { ':device': device },
      ConsistentRead: true,
    });
  }

  async deleteFor(device: DeviceNumber): Promise<number> {
    const keys = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: '#device = :device',
      ExpressionAttributeValues: { ':device': device },
      ProjectionExpression: '#device, #windowStart',
      ConsistentRead: true,
    });
    return deleteKeys(this.db, this.table, keys);
  }

  async purgeExpired(before: Date): Promise<number> {
    const keys = await scanAll(this.db, {
      TableName: this.table,
      FilterExpression: '#validUntil < :before',
      ExpressionAttributeValues: { ':before': before.getTime() },
      ProjectionExpression: '#device, #windowStart',
      ConsistentRead: true,
    });
    return deleteKeys(this.db, this.table, keys);
  }
}
