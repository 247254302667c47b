import { randomBytes } from 'node:crypto';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deviceNumberFromBytes, type Device, type DeviceNumber } from '../../domain/device.js';
import { SubjectErasedError, type DeviceDirectory, type SubjectLookup } from '../../ports/device-directory.js';
import { isConditionalCheckFailed, named, scanAll, type Item } from './dynamo-operations.js';
import { ERASED_NUMBERS_INDEX, ERASED_SUBJECTS_INDEX, TTL_ATTRIBUTE, ttlSeconds, type DynamoTableNames } from './dynamo-tables.js';

type DirectoryTables = Pick<DynamoTableNames, 'devices' | 'deviceNumbers'>;

const MAX_NUMBER_ATTEMPTS = 16;
const BATCH_GET_LIMIT = 100;

/**
 * Devices by subject, plus one item per device number: `{ number, subject }` while the device
 * lives, `{ number, erasedAt }` once erased. Creating a device claims its random number with a
 * conditional put in the same transaction as the device item, so a number is never handed out
 * twice, nor while it is remembered as erased. An erasure marks the number and the device item
 * (`erasingSince`) first and replaces the device item by a subject marker (`erasedUntil`) last.
 * Both kinds of marker sit in sparse indexes, carry a TTL, and are purged exactly by the job.
 */
export class DynamoDeviceDirectory implements DeviceDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: DirectoryTables,
    /** How long an erased number is remembered (its TTL). */
    private readonly erasedNumberMs: number,
    private readonly now: () => Date = () => new Date(),
    private readonly randomNumber: () => DeviceNumber = () => deviceNumberFromBytes(randomBytes(6)),
  ) {}

  async ensureDevice(subject: string, now: Date): Promise<Device> {
    for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
      const found = await this.lookup(subject);
      if (found.state === 'active') return found.device;
      if (found.state !== 'unknown') throw new SubjectErasedError();
      const device = { subject, number: this.randomNumber(), createdAt: now };
      if (await this.tryCreate(device)) return device;
    }
    throw new Error(`no free device number for ${subject} after ${MAX_NUMBER_ATTEMPTS} attempts`);
  }

  async lookup(subject: string): Promise<SubjectLookup> {
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.tables.devices, Key: { subject }, ConsistentRead: true }));
    if (!item) return { state: 'unknown' };
    if (item.erasedUntil !== undefined) return (item.erasedUntil as number) > this.now().getTime() ? { state: 'erased' } : { state: 'unknown' };
    const device = { subject, number: item.number as number, createdAt: new Date(item.createdAt as number) };
    return item.erasingSince === undefined ? { state: 'active', device } : { state: 'erasing', device };
  }

  async beginErasure(device: Device, now: Date): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: named({
              TableName: this.tables.deviceNumbers,
              Key: { number: device.number },
              UpdateExpression: 'SET #erasedAt = if_not_exists(#erasedAt, :now), #ttl = :ttl REMOVE #subject',
              ExpressionAttributeValues: { ':now': now.getTime(), ':ttl': ttlSeconds(now.getTime() + this.erasedNumberMs) },
              ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            }),
          },
          {
            Update: named({
              TableName: this.tables.devices,
              Key: { subject: device.subject },
              UpdateExpression: 'SET #erasingSince = if_not_exists(#erasingSince, :now)',
              ConditionExpression: 'attribute_exists(#number)',
              ExpressionAttributeValues: { ':now': now.getTime() },
            }),
          },
        ],
      }),
    ).catch((error: unknown) => {
      // The device item is already a subject marker: an erasure that finished, called again.
      if (!(error instanceof Error && error.name === 'TransactionCanceledException')) throw error;
    });
  }

  async completeErasure(device: Device, now: Date, subjectMarkerMs: number): Promise<void> {
    const until = now.getTime() + subjectMarkerMs;
    await this.db.send(new PutCommand({ TableName: this.tables.devices, Item: { subject: device.subject, erasedUntil: until, [TTL_ATTRIBUTE]: ttlSeconds(until) } }));
  }

  async erasedAmong(numbers: readonly DeviceNumber[]): Promise<Set<DeviceNumber>> {
    const unique = [...new Set(numbers)];
    const erased = new Set<DeviceNumber>();
    const chunks = Array.from({ length: Math.ceil(unique.length / BATCH_GET_LIMIT) }, (_, i) => unique.slice(i * BATCH_GET_LIMIT, (i + 1) * BATCH_GET_LIMIT));
    await Promise.all(
      chunks.map(async (chunk) => {
        for (const item of await this.batchGet(chunk)) if (item.erasedAt !== undefined) erased.add(item.number as number);
      }),
    );
    return erased;
  }

  async purgeErasedBefore(before: Date): Promise<number> {
    const now = this.now().getTime();
    const markers = await scanAll(this.db, { TableName: this.tables.devices, IndexName: ERASED_SUBJECTS_INDEX, FilterExpression: '#erasedUntil < :now', ExpressionAttributeValues: { ':now': now } });
    await Promise.all(
      markers.map((m) => this.deleteIf(named({ TableName: this.tables.devices, Key: { subject: m.subject }, ConditionExpression: '#erasedUntil < :now', ExpressionAttributeValues: { ':now': now } }))),
    );
    const items = await scanAll(this.db, {
      TableName: this.tables.deviceNumbers,
      IndexName: ERASED_NUMBERS_INDEX,
      FilterExpression: '#erasedAt < :before',
      ExpressionAttributeValues: { ':before': before.getTime() },
    });
    // Conditional: the index may lag, and a purged number can be claimed again at once.
    const deleted = await Promise.all(
      items.map((item) =>
        this.deleteIf(
          named({
            TableName: this.tables.deviceNumbers,
            Key: { number: item.number },
            ConditionExpression: '#erasedAt < :before AND attribute_not_exists(#subject)',
            ExpressionAttributeValues: { ':before': before.getTime() },
          }),
        ),
      ),
    );
    return deleted.filter(Boolean).length;
  }

  /** Consistent reads: an erasure that resolved before is seen. Unprocessed keys are asked again. */
  private async batchGet(numbers: DeviceNumber[]): Promise<Item[]> {
    const items: Item[] = [];
    let keys: Item[] = numbers.map((number) => ({ number }));
    while (keys.length > 0) {
      const result = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tables.deviceNumbers]: { Keys: keys, ConsistentRead: true, ProjectionExpression: '#n, erasedAt', ExpressionAttributeNames: { '#n': 'number' } } } }),
      );
      items.push(...(result.Responses?.[this.tables.deviceNumbers] ?? []));
      keys = (result.UnprocessedKeys?.[this.tables.deviceNumbers]?.Keys as Item[] | undefined) ?? [];
    }
    return items;
  }

  /** Claims the number and creates the device in one transaction; false when either already exists. */
  private async tryCreate(device: Device): Promise<boolean> {
    const createdAt = device.createdAt.getTime();
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: named({
                TableName: this.tables.deviceNumbers,
                Item: { number: device.number, subject: device.subject, createdAt },
                ConditionExpression: 'attribute_not_exists(#number)',
              }),
            },
            {
              Put: named({
                TableName: this.tables.devices,
                Item: { subject: device.subject, number: device.number, createdAt },
                // A lapsed subject marker may be replaced; a live device or marker may not.
                ConditionExpression: 'attribute_not_exists(#subject) OR #erasedUntil < :now',
                ExpressionAttributeValues: { ':now': this.now().getTime() },
              }),
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      // A taken number, a concurrent first sign-in of the same subject, or a conflicting transaction:
      // the caller looks the subject up again and otherwise tries another number.
      if (isRetryableCancellation(error)) return false;
      throw error;
    }
  }

  private async deleteIf(input: ConstructorParameters<typeof DeleteCommand>[0]): Promise<boolean> {
    try {
      await this.db.send(new DeleteCommand(input));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

const RETRYABLE_CANCELLATIONS = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict']);

function isRetryableCancellation(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.every((reason) => RETRYABLE_CANCELLATIONS.has(reason.Code ?? 'None'));
}
