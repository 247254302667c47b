import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertRateLimit, ClaimOutcome, OwnerAlertClaim, OwnerAlertLedger } from '../../ports/owner-alert-ledger.js';
import { deleteKeys, named, scanAll } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

/**
 * Owner alerts in one DynamoDB table: `alert#<key>` items make each alert happen once, and a
 * `phone#<key>` item holds the number's fixed rate window (start, count). A claim is one
 * transaction of the alert item and the window item, so a crash never counts without recording.
 */
export class DynamoOwnerAlertLedger implements OwnerAlertLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(c: OwnerAlertClaim, limit: AlertRateLimit): Promise<ClaimOutcome> {
    const at = c.at.getTime();
    const windowOpenSince = at - limit.windowMs;
    const alertItem = (status: string) => ({
      Put: named({
        TableName: this.table,
        Item: { pk: `alert#${c.alertKey}`, phoneKey: c.phoneKey, status, at, keepUntil: c.keepUntil.getTime(), [TTL_ATTRIBUTE]: ttlSeconds(c.keepUntil) },
        ConditionExpression: 'attribute_not_exists(#pk) OR #status = :failed',
        ExpressionAttributeValues: { ':failed': 'failed' },
      }),
    });
    const windowTtl = ttlSeconds(at + limit.windowMs);
    // Within an open window and under the limit: count one more.
    const countInWindow = {
      Update: named({
        TableName: this.table,
        Key: { pk: `phone#${c.phoneKey}` },
        UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)',
        ConditionExpression: '#windowStart > :since AND #count < :max',
        ExpressionAttributeValues: { ':one': 1, ':ttl': windowTtl, ':since': windowOpenSince, ':max': limit.max },
      }),
    };
    // No window, or the last one is over: open a new one.
    const openWindow = {
      Update: named({
        TableName: this.table,
        Key: { pk: `phone#${c.phoneKey}` },
        UpdateExpression: 'SET #windowStart = :at, #count = :one, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#pk) OR #windowStart <= :since',
        ExpressionAttributeValues: { ':at': at, ':one': 1, ':ttl': windowTtl, ':since': windowOpenSince },
      }),
    };
    for (const window of [countInWindow, openWindow]) {
      const reasons = await this.transact([alertItem('sent'), window]);
      if (reasons === undefined) return 'send';
      if (reasons[0] === 'ConditionalCheckFailed') return 'duplicate';
    }
    const reasons = await this.transact([alertItem('rate_limited')]);
    return reasons === undefined ? 'rate_limited' : 'duplicate';
  }

  async markFailed(alertKey: string): Promise<void> {
    await this.db.send(
      new UpdateCommand(
        named({ TableName: this.table, Key: { pk: `alert#${alertKey}` }, UpdateExpression: 'SET #status = :failed', ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeValues: { ':failed': 'failed' } }),
      ),
    );
  }

  async forgetDevice(deviceNumber: number): Promise<number> {
    // Alert items are keyed by notification, not device: a scan, as stats and the purge do (the table holds one item per owner SMS).
    const items = await scanAll(this.db, { TableName: this.table, FilterExpression: 'begins_with(#pk, :alert)', ExpressionAttributeValues: { ':alert': 'alert#' }, ConsistentRead: true });
    const mine = items.filter((i) => (i.pk as string).endsWith(`:${deviceNumber}`));
    return deleteKeys(this.db, this.table, mine.map((i) => ({ pk: i.pk })));
  }

  async stats(): Promise<{ sent: number; rateLimited: number; failed: number }> {
    const items = await scanAll(this.db, { TableName: this.table, FilterExpression: 'begins_with(#pk, :alert)', ExpressionAttributeValues: { ':alert': 'alert#' }, ConsistentRead: true });
    const count = (status: string) => items.filter((i) => i.status === status).length;
    return { sent: count('sent'), rateLimited: count('rate_limited'), failed: count('failed') };
  }

  async purgeExpired(now: Date): Promise<number> {
    const items = await scanAll(this.db, { TableName: this.table, FilterExpression: '#keepUntil < :now', ExpressionAttributeValues: { ':now': now.getTime() } });
    let purged = 0;
    for (const item of items) {
      const reasons = await this.transact([
        { Delete: named({ TableName: this.table, Key: { pk: item.pk }, ConditionExpression: '#keepUntil < :now', ExpressionAttributeValues: { ':now': now.getTime() } }) },
      ]);
      if (reasons === undefined) purged++;
    }
    return purged;
  }

  /** Runs a transaction; undefined on success, else each item's cancellation code. */
  private async transact(items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>): Promise<string[] | undefined> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      return ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    }
  }
}
