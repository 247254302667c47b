import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog } from '../../ports/audit-log.js';
import { deleteItemsBefore, queryAll } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

/** Officials' audit entries: one partition per official, sorted by time; TTL after the retention. */
export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionMs: number,
  ) {}

  async append(e: AuditEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          actor: e.actor,
          entry: `${sortable(e.at.getTime())}#${randomUUID()}`,
          action: e.action,
          at: e.at.getTime(),
          countToday: e.countToday,
          [TTL_ATTRIBUTE]: ttlSeconds(e.at.getTime() + this.retentionMs),
        },
      }),
    );
  }

  async listFor(actor: string, since: Date): Promise<AuditEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: '#actor = :actor AND #entry >= :since',
      ExpressionAttributeValues: { ':actor': actor, ':since': sortable(since.getTime()) },
      ConsistentRead: true,
    });
    return items.map((i) => ({ actor: i.actor as string, action: i.action as AuditEntry['action'], at: new Date(i.at as number), countToday: i.countToday as number }));
  }

  purgeOlderThan(before: Date): Promise<number> {
    return deleteItemsBefore(this.db, this.table, { attribute: 'at', limit: before.getTime(), keys: ['actor', 'entry'] });
  }
}

/** Epoch milliseconds that sort as strings. */
function sortable(ms: number): string {
  return String(ms).padStart(15, '0');
}
