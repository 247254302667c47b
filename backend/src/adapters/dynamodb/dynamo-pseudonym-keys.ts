import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ANALYTICS_FAMILIES, type AnalyticsFamily, type PseudonymKey } from '../../domain/analytics/pseudonym.js';
import type { AnalyticsRetention } from '../../ports/analytics-store.js';
import { keyExpiry, type PseudonymKeys } from '../../ports/pseudonym-keys.js';
import { deleteKeys, isConditionalCheckFailed, named, queryAll, type Item } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

/**
 * The analytics pseudonym keys on DynamoDB (table analytics-keys: family, week). A key is created
 * with a conditional put, so concurrent instances end up with the one that won; it carries a TTL
 * at its expiry, and an expired key is never returned while DynamoDB has yet to delete it.
 */
export class DynamoPseudonymKeys implements PseudonymKeys {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retention: AnalyticsRetention,
    private readonly now: () => Date,
  ) {}

  async keyFor(family: AnalyticsFamily, week: number): Promise<PseudonymKey> {
    const existing = await this.read(family, week);
    if (existing) return existing;
    const expiresAt = keyExpiry(week, this.retention[family]);
    try {
      await this.db.send(
        new PutCommand(
          named({
            TableName: this.table,
            Item: { family, week, secret: randomBytes(32), expiresAt, [TTL_ATTRIBUTE]: ttlSeconds(expiresAt) },
            ConditionExpression: 'attribute_not_exists(#family)',
          }),
        ),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const key = await this.read(family, week);
    if (!key) throw new Error(`the ${family} key of the week of ${new Date(week).toISOString().slice(0, 10)} has expired: that week's records are past their retention`);
    return key;
  }

  async heldKeys(family: AnalyticsFamily): Promise<PseudonymKey[]> {
    const items = await queryAll(this.db, { TableName: this.table, ConsistentRead: true, KeyConditionExpression: '#family = :family', ExpressionAttributeValues: { ':family': family } });
    const now = this.now().getTime();
    return items.filter((item) => (item.expiresAt as number) > now).map(toKey);
  }

  async purgeExpired(now: Date): Promise<number> {
    let deleted = 0;
    for (const family of ANALYTICS_FAMILIES) {
      const items = await queryAll(this.db, {
        TableName: this.table,
        KeyConditionExpression: '#family = :family',
        FilterExpression: '#expiresAt <= :now',
        ExpressionAttributeValues: { ':family': family, ':now': now.getTime() },
        ProjectionExpression: '#family, #week',
      });
      deleted += await deleteKeys(this.db, this.table, items);
    }
    return deleted;
  }

  private async read(family: AnalyticsFamily, week: number): Promise<PseudonymKey | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { family, week }, ConsistentRead: true }));
    return Item && (Item.expiresAt as number) > this.now().getTime() ? toKey(Item) : undefined;
  }
}

function toKey(item: Item): PseudonymKey {
  return { family: item.family as AnalyticsFamily, week: item.week as number, secret: new Uint8Array(item.secret as Uint8Array) };
}
