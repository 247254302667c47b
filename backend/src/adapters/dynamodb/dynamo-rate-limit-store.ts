import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimitStore } from '../../ports/rate-limit-store.js';
import { conditionally, deleteItemsBefore, isConditionalCheckFailed, named } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

/**
 * Rate-limit counters in DynamoDB: one conditional update per event (`count < limit`), so the
 * limit holds across every Lambda instance. An expired counter (DynamoDB's TTL deletes it within
 * a day or two) is replaced, conditionally, by a fresh one.
 */
export class DynamoRateLimitStore implements RateLimitStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async take(key: string, limit: number, expiresAt: Date, now: Date, amount = 1): Promise<{ allowed: boolean; count: number }> {
    if (limit < amount) return { allowed: false, count: (await this.peek(key, now))?.count ?? 0 };
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand(
          named({
            TableName: this.table,
            Key: { key },
            UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :amount, #lastAt = :now, #expiresAt = if_not_exists(#expiresAt, :expiresAt), #ttl = if_not_exists(#ttl, :ttl)',
            // No arithmetic in conditions: "count + amount ≤ limit" as "count ≤ limit − amount".
            ConditionExpression: 'attribute_not_exists(#count) OR (#count <= :room AND #expiresAt > :now)',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':zero': 0, ':amount': amount, ':now': now.getTime(), ':room': limit - amount, ':expiresAt': expiresAt.getTime(), ':ttl': ttlSeconds(expiresAt) },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return { allowed: true, count: Attributes!.count as number };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const current = await this.peek(key, now);
    if (current) return { allowed: false, count: current.count };
    return this.restart(key, limit, expiresAt, now, amount);
  }

  async peek(key: string, now: Date): Promise<{ count: number; lastAt: Date } | undefined> {
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { key }, ConsistentRead: true }));
    if (!item || (item.expiresAt as number) <= now.getTime()) return undefined;
    return { count: item.count as number, lastAt: new Date(item.lastAt as number) };
  }

  purgeExpired(now: Date): Promise<number> {
    return deleteItemsBefore(this.db, this.table, { attribute: 'expiresAt', limit: now.getTime(), keys: ['key'], inclusive: true });
  }

  /** Replaces an expired counter with a fresh one; a concurrent restart wins and is counted into. */
  private async restart(key: string, limit: number, expiresAt: Date, now: Date, amount: number): Promise<{ allowed: boolean; count: number }> {
    const restarted = await conditionally(
      this.db.send(
        new PutCommand(
          named({
            TableName: this.table,
            Item: { key, count: amount, lastAt: now.getTime(), expiresAt: expiresAt.getTime(), [TTL_ATTRIBUTE]: ttlSeconds(expiresAt) },
            ConditionExpression: 'attribute_not_exists(#key) OR #expiresAt <= :now',
            ExpressionAttributeValues: { ':now': now.getTime() },
          }),
        ),
      ),
    );
    return restarted ? { allowed: true, count: amount } : this.take(key, limit, expiresAt, now, amount);
  }
}
