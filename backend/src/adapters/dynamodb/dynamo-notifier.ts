import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeviceNumber } from '../../domain/device.js';
import type { ExposureNotification } from '../../domain/exposure/notification.js';
import type { Notifier } from '../../ports/notifier.js';
import { deleteKeys, isConditionalCheckFailed, named, queryAll, scanAll, type Item } from './dynamo-operations.js';
import { NOTIFICATIONS_BY_DEGREE_INDEX, NOTIFICATIONS_BY_DEVICE_INDEX } from './dynamo-tables.js';

/**
 * Notifications keyed by (caseId, device): a conditional put is the "at most one per case and
 * device" rule. Indexes: by device (ordered by issuedAt) and by degree (ordered by exposedAt).
 * `onDelivered` is told of each new notification (push delivery comes later).
 */
export class DynamoNotifier implements Notifier {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly onDelivered: (notification: ExposureNotification) => void = () => {},
  ) {}

  async deliver(notifications: readonly ExposureNotification[]): Promise<ExposureNotification[]> {
    // The first of a (case, device) pair in the call wins, as with sequential inserts.
    const firstPerKey = new Map<string, ExposureNotification>();
    for (const n of notifications) {
      const key = `${n.caseId}\u0000${n.device}`;
      if (!firstPerKey.has(key)) firstPerKey.set(key, n);
    }
    const candidates = [...firstPerKey.values()];
    const stored = await Promise.all(candidates.map((n) => this.putIfNew(n)));
    const delivered = candidates.filter((_, i) => stored[i]);
    delivered.forEach(this.onDelivered);
    return delivered;
  }

  async listFor(device: DeviceNumber): Promise<ExposureNotification[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: NOTIFICATIONS_BY_DEVICE_INDEX,
      KeyConditionExpression: '#device = :device',
      ExpressionAttributeValues: { ':device': device },
    });
    return items.map(fromItem).sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.caseId.localeCompare(b.caseId));
  }

  async listSpreading(since: Date, maxDegree: number): Promise<ExposureNotification[]> {
    const degrees = Array.from({ length: Math.max(0, maxDegree) }, (_, degree) => degree);
    const perDegree = await Promise.all(
      degrees.map((degree) =>
        queryAll(this.db, {
          TableName: this.table,
          IndexName: NOTIFICATIONS_BY_DEGREE_INDEX,
          KeyConditionExpression: '#degree = :degree AND #exposedAt >= :since',
          ExpressionAttributeValues: { ':degree': degree, ':since': since.getTime() },
        }),
      ),
    );
    return perDegree.flat().map(fromItem);
  }

  async notifiedDevices(caseId: string): Promise<DeviceNumber[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: '#caseId = :caseId',
      ExpressionAttributeValues: { ':caseId': caseId },
      ProjectionExpression: '#device',
      ConsistentRead: true,
    });
    return items.map((item) => item.device as number);
  }

  async deleteFor(device: DeviceNumber): Promise<number> {
    const keys = await queryAll(this.db, {
      TableName: this.table,
      IndexName: NOTIFICATIONS_BY_DEVICE_INDEX,
      KeyConditionExpression: '#device = :device',
      ExpressionAttributeValues: { ':device': device },
      ProjectionExpression: '#caseId, #device',
    });
    return deleteKeys(this.db, this.table, keys);
  }

  async purgeOlderThan(before: Date): Promise<number> {
    const keys = await scanAll(this.db, {
      TableName: this.table,
      FilterExpression: '#issuedAt < :before',
      ExpressionAttributeValues: { ':before': before.getTime() },
      ProjectionExpression: '#caseId, #device',
      ConsistentRead: true,
    });
    return deleteKeys(this.db, this.table, keys);
  }

  private async putIfNew(n: ExposureNotification): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand(
          named({
          TableName: this.table,
          Item: {
            caseId: n.caseId,
            device: n.device,
            id: n.id,
            degree: n.degree,
            probability: n.probability,
            exposedAt: n.exposedAt.getTime(),
            issuedAt: n.issuedAt.getTime(),
          },
          ConditionExpression: 'attribute_not_exists(#caseId)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function fromItem(item: Item): ExposureNotification {
  return {
    id: item.id as string,
    caseId: item.caseId as string,
    device: item.device as number,
    degree: item.degree as number,
    probability: item.probability as number,
    exposedAt: new Date(item.exposedAt as number),
    issuedAt: new Date(item.issuedAt as number),
  };
}
