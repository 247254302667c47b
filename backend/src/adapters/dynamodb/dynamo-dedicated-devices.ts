import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeviceNumber } from '../../domain/device.js';
import { ZERO_HASH } from '../../domain/relay/relay-batch.js';
import type { PastSeq } from '../../domain/relay/relay-chain.js';
import {
  DedicatedDeviceExistsError,
  type AcceptedDelivery,
  type DedicatedDevice,
  type DedicatedDeviceRegistry,
  type DeliveryOutcome,
  type NewDedicatedDevice,
  type RecordedGap,
  type RelayCounter,
} from '../../ports/dedicated-devices.js';
import { deleteKeys, isConditionalCheckFailed, named, queryAll, scanAll, type Item } from './dynamo-operations.js';
import { DEDICATED_BY_NUMBER_INDEX, TTL_ATTRIBUTE, ttlSeconds, type DynamoTableNames } from './dynamo-tables.js';

type RelayTables = Pick<DynamoTableNames, 'dedicatedDevices' | 'relayBatches' | 'relayEnvelopes' | 'relayCounters'>;

/**
 * Dedicated devices in DynamoDB. Accepting a batch is one transaction: the device item's chain
 * head moves only if it is still at the expected seq, together with the batch item (and its gap).
 * Every item carries `keepUntil` as its TTL; purgeExpired deletes what TTL has not yet removed.
 */
export class DynamoDedicatedDevices implements DedicatedDeviceRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: RelayTables,
  ) {}

  async register(d: NewDedicatedDevice): Promise<void> {
    if (await this.findByNumber(d.deviceNumber)) throw new DedicatedDeviceExistsError(d.deviceId);
    try {
      await this.db.send(
        new PutCommand(
          named({
            TableName: this.tables.dedicatedDevices,
            Item: {
              deviceId: d.deviceId,
              deviceNumber: d.deviceNumber,
              publicKey: d.publicKey,
              ownerPhoneSealed: d.ownerPhoneSealed,
              registeredAt: d.registeredAt.getTime(),
              bundleUntil: d.bundleUntil.getTime(),
              highestSeq: 0,
              headHash: ZERO_HASH,
              droppedReported: 0,
              keepUntil: d.keepUntil.getTime(),
              [TTL_ATTRIBUTE]: ttlSeconds(d.keepUntil),
            },
            ConditionExpression: 'attribute_not_exists(#deviceId)',
          }),
        ),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new DedicatedDeviceExistsError(d.deviceId);
      throw error;
    }
  }

  async find(deviceId: string): Promise<DedicatedDevice | undefined> {
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.tables.dedicatedDevices, Key: { deviceId }, ConsistentRead: true }));
    return item ? fromItem(item) : undefined;
  }

  async findByNumber(deviceNumber: DeviceNumber): Promise<DedicatedDevice | undefined> {
    const page = await this.db.send(
      new QueryCommand(
        named({
          TableName: this.tables.dedicatedDevices,
          IndexName: DEDICATED_BY_NUMBER_INDEX,
          KeyConditionExpression: '#deviceNumber = :n',
          ExpressionAttributeValues: { ':n': deviceNumber },
        }),
      ),
    );
    const key = page.Items?.[0];
    return key ? this.find(key.deviceId as string) : undefined;
  }

  async extendBundle(deviceId: string, bundleUntil: Date, keepUntil: Date): Promise<void> {
    const current = await this.find(deviceId);
    if (!current) return;
    const keep = Math.max(current.keepUntil.getTime(), keepUntil.getTime());
    await this.db.send(
      new UpdateCommand(
        named({
          TableName: this.tables.dedicatedDevices,
          Key: { deviceId },
          UpdateExpression: 'SET #bundleUntil = :b, #keepUntil = :k, #ttl = :t',
          ConditionExpression: 'attribute_exists(#deviceId)',
          ExpressionAttributeValues: { ':b': Math.max(current.bundleUntil.getTime(), bundleUntil.getTime()), ':k': keep, ':t': ttlSeconds(keep) },
        }),
      ),
    );
  }

  async pastSeq(deviceId: string, seq: number): Promise<PastSeq> {
    // The item at or just below `seq`: the batch accepted there, or the gap that covers it.
    const page = await this.db.send(
      new QueryCommand(
        named({
          TableName: this.tables.relayBatches,
          KeyConditionExpression: '#deviceId = :d AND #seq <= :s',
          ExpressionAttributeValues: { ':d': deviceId, ':s': seq },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = page.Items?.[0];
    if (item?.kind === 'batch' && item.seq === seq) return { kind: 'accepted', hash: Buffer.from(item.batchHash as Uint8Array) };
    if (item?.kind === 'gap' && (item.toSeq as number) >= seq) return { kind: 'gap' };
    return { kind: 'unknown' };
  }

  async recordAccepted(d: AcceptedDelivery): Promise<boolean> {
    const ttl = ttlSeconds(d.keepUntil);
    const receivedAt = d.receivedAt.getTime();
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: named({
                TableName: this.tables.dedicatedDevices,
                Key: { deviceId: d.deviceId },
                UpdateExpression:
                  'SET #highestSeq = :seq, #headHash = :hash, #droppedReported = :dropped, #lastDeliveryAt = :at, #lastLagMs = :lag, #keepUntil = :keep, #ttl = :ttl',
                ConditionExpression: '#highestSeq = :expected',
                ExpressionAttributeValues: {
                  ':seq': d.seq,
                  ':hash': d.batchHash,
                  ':dropped': d.dropped,
                  ':at': receivedAt,
                  ':lag': receivedAt - d.createdAt.getTime(),
                  ':keep': d.keepUntil.getTime(),
                  ':ttl': ttl,
                  ':expected': d.expectedHighestSeq,
                },
              }),
            },
            {
              Put: named({
                TableName: this.tables.relayBatches,
                Item: { deviceId: d.deviceId, seq: d.seq, kind: 'batch', batchHash: d.batchHash, acceptedAt: receivedAt, keepUntil: d.keepUntil.getTime(), [TTL_ATTRIBUTE]: ttl },
                ConditionExpression: 'attribute_not_exists(#seq)',
              }),
            },
            ...(d.gap
              ? [
                  {
                    Put: {
                      TableName: this.tables.relayBatches,
                      Item: {
                        deviceId: d.deviceId,
                        seq: d.gap.fromSeq,
                        kind: 'gap',
                        toSeq: d.gap.toSeq,
                        droppedByDevice: d.gap.droppedByDevice,
                        recordedAt: receivedAt,
                        keepUntil: d.keepUntil.getTime(),
                        [TTL_ATTRIBUTE]: ttl,
                      },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') return false;
      throw error;
    }
  }

  async recordEnvelope(envelopeHash: Buffer, keepUntil: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand(
          named({
            TableName: this.tables.relayEnvelopes,
            Item: { envelopeHash, keepUntil: keepUntil.getTime(), [TTL_ATTRIBUTE]: ttlSeconds(keepUntil) },
            ConditionExpression: 'attribute_not_exists(#envelopeHash)',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async countDelivery(relay: string, outcome: DeliveryOutcome, at: Date, keepUntil: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand(
        named({
          TableName: this.tables.relayCounters,
          Key: { relay, outcome },
          UpdateExpression: 'ADD #count :one SET #lastAt = :at, #keepUntil = :keep, #ttl = :ttl',
          ExpressionAttributeValues: { ':one': 1, ':at': at.getTime(), ':keep': keepUntil.getTime(), ':ttl': ttlSeconds(keepUntil) },
        }),
      ),
    );
  }

  async listDevices(): Promise<DedicatedDevice[]> {
    const items = await scanAll(this.db, { TableName: this.tables.dedicatedDevices, ConsistentRead: true });
    return items.map(fromItem).sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
  }

  async listGaps(): Promise<RecordedGap[]> {
    const items = await scanAll(this.db, { TableName: this.tables.relayBatches, FilterExpression: '#kind = :gap', ExpressionAttributeValues: { ':gap': 'gap' }, ConsistentRead: true });
    return items
      .map((i) => ({
        deviceId: i.deviceId as string,
        fromSeq: i.seq as number,
        toSeq: i.toSeq as number,
        droppedByDevice: i.droppedByDevice as number,
        recordedAt: new Date(i.recordedAt as number),
      }))
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.fromSeq - b.fromSeq);
  }

  async listCounters(): Promise<RelayCounter[]> {
    const items = await scanAll(this.db, { TableName: this.tables.relayCounters, ConsistentRead: true });
    return items
      .map((i) => ({ relay: i.relay as string, outcome: i.outcome as string, count: i.count as number, lastAt: new Date(i.lastAt as number) }))
      .sort((a, b) => a.relay.localeCompare(b.relay) || a.outcome.localeCompare(b.outcome));
  }

  async forget(deviceId: string): Promise<number> {
    // Receipts and gaps first, the registration last: a retry still finds the device's key.
    const receipts = await queryAll(this.db, named({ TableName: this.tables.relayBatches, KeyConditionExpression: '#deviceId = :d', ExpressionAttributeValues: { ':d': deviceId }, ConsistentRead: true }));
    const deleted = await deleteKeys(this.db, this.tables.relayBatches, receipts.map((r) => ({ deviceId, seq: r.seq })));
    const { Attributes: registration } = await this.db.send(new DeleteCommand({ TableName: this.tables.dedicatedDevices, Key: { deviceId }, ReturnValues: 'ALL_OLD' }));
    return deleted + (registration ? 1 : 0);
  }

  async purgeExpired(now: Date): Promise<number> {
    const keys: Record<keyof RelayTables, string[]> = {
      dedicatedDevices: ['deviceId'],
      relayBatches: ['deviceId', 'seq'],
      relayEnvelopes: ['envelopeHash'],
      relayCounters: ['relay', 'outcome'],
    };
    let purged = 0;
    for (const [table, keyNames] of Object.entries(keys) as [keyof RelayTables, string[]][]) {
      const expired = await scanAll(this.db, { TableName: this.tables[table], FilterExpression: '#keepUntil < :now', ExpressionAttributeValues: { ':now': now.getTime() } });
      for (const item of expired) {
        const Key = Object.fromEntries(keyNames.map((k) => [k, item[k]]));
        try {
          await this.db.send(
            new DeleteCommand(named({ TableName: this.tables[table], Key, ConditionExpression: '#keepUntil < :now', ExpressionAttributeValues: { ':now': now.getTime() } })),
          );
          purged++;
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error; // extended meanwhile: kept
        }
      }
    }
    return purged;
  }
}

function fromItem(item: Item): DedicatedDevice {
  return {
    deviceId: item.deviceId as string,
    deviceNumber: item.deviceNumber as number,
    publicKey: Buffer.from(item.publicKey as Uint8Array),
    ownerPhoneSealed: item.ownerPhoneSealed as string,
    registeredAt: new Date(item.registeredAt as number),
    bundleUntil: new Date(item.bundleUntil as number),
    chain: { highestSeq: item.highestSeq as number, headHash: Buffer.from(item.headHash as Uint8Array), droppedReported: item.droppedReported as number },
    lastDeliveryAt: item.lastDeliveryAt === undefined ? undefined : new Date(item.lastDeliveryAt as number),
    lastLagMs: item.lastLagMs as number | undefined,
    keepUntil: new Date(item.keepUntil as number),
  };
}
