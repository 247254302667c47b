import { randomBytes } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { deviceNumberFromBytes, type Device, type DeviceNumber } from '../../domain/device.js';
import type { InfectionCase } from '../../domain/exposure/infection-case.js';
import type { VerificationCodeRecord } from '../../domain/verification-code.js';
import type { DeviceDirectory, RedeemOutcome } from '../../ports/device-directory.js';
import { deleteKeys, isConditionalCheckFailed, named, queryAll, scanAll, type Item } from './dynamo-operations.js';
import { CASES_BY_DEVICE_INDEX, ERASED_NUMBERS_INDEX, TTL_ATTRIBUTE, ttlSeconds, type DynamoTableNames } from './dynamo-tables.js';

type DirectoryTables = Pick<DynamoTableNames, 'devices' | 'deviceNumbers' | 'verificationCodes' | 'infectionCases'>;

/** A used or expired code is kept this long after it expires, so a late redeem says "used"/"expired", not "unknown". */
const CODE_KEPT_AFTER_EXPIRY_MS = 30 * 86_400_000;
const MAX_NUMBER_ATTEMPTS = 16;

/**
 * Devices by subject, plus one item per device number: `{ number, subject }` while the device
 * lives, `{ number, erasedAt }` once erased. Creating a device claims its random number with a
 * conditional put in the same transaction as the device item, so a number is never handed out
 * twice, nor while it is remembered as erased. Erased numbers are listed through a sparse index.
 */
export class DynamoDeviceDirectory implements DeviceDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: DirectoryTables,
    private readonly randomNumber: () => DeviceNumber = () => deviceNumberFromBytes(randomBytes(6)),
  ) {}

  async ensureDevice(subject: string, now: Date): Promise<Device> {
    for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
      const existing = await this.findBySubject(subject);
      if (existing) return existing;
      const device = { subject, number: this.randomNumber(), createdAt: now };
      if (await this.tryCreate(device)) return device;
    }
    throw new Error(`no free device number for ${subject} after ${MAX_NUMBER_ATTEMPTS} attempts`);
  }

  async findBySubject(subject: string): Promise<Device | undefined> {
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.tables.devices, Key: { subject }, ConsistentRead: true }));
    return item ? { subject, number: item.number as number, createdAt: new Date(item.createdAt as number) } : undefined;
  }

  async eraseDevice(device: Device, now: Date): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: named({
              TableName: this.tables.deviceNumbers,
              Key: { number: device.number },
              UpdateExpression: 'SET #erasedAt = if_not_exists(#erasedAt, :now) REMOVE #subject',
              ExpressionAttributeValues: { ':now': now.getTime() },
            }),
          },
          { Delete: { TableName: this.tables.devices, Key: { subject: device.subject } } },
        ],
      }),
    );
  }

  async listErasedSince(since: Date): Promise<DeviceNumber[]> {
    const items = await scanAll(this.db, {
      TableName: this.tables.deviceNumbers,
      IndexName: ERASED_NUMBERS_INDEX,
      FilterExpression: '#erasedAt >= :since',
      ExpressionAttributeValues: { ':since': since.getTime() },
    });
    return items.map((item) => item.number as number);
  }

  async purgeErasedBefore(before: Date): Promise<number> {
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

  async saveVerificationCode(record: VerificationCodeRecord): Promise<void> {
    try {
      await this.db.send(
        new PutCommand(
          named({
            TableName: this.tables.verificationCodes,
            Item: {
              codeHash: record.codeHash,
              issuedBy: record.issuedBy,
              issuedAt: record.issuedAt.getTime(),
              expiresAt: record.expiresAt.getTime(),
              [TTL_ATTRIBUTE]: ttlSeconds(record.expiresAt.getTime() + CODE_KEPT_AFTER_EXPIRY_MS),
            },
            ConditionExpression: 'attribute_not_exists(#codeHash)',
          }),
        ),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new Error('a verification code with this hash already exists', { cause: error });
      throw error;
    }
  }

  async redeemVerificationCode(codeHash: string, now: Date): Promise<RedeemOutcome> {
    try {
      await this.db.send(
        new UpdateCommand(
          named({
            TableName: this.tables.verificationCodes,
            Key: { codeHash },
            UpdateExpression: 'SET #usedAt = :now',
            ConditionExpression: 'attribute_exists(#codeHash) AND attribute_not_exists(#usedAt) AND #expiresAt > :now',
            ExpressionAttributeValues: { ':now': now.getTime() },
          }),
        ),
      );
      return 'redeemed';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    // The condition failed: say why, in the same order as the embedded adapter.
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.tables.verificationCodes, Key: { codeHash }, ConsistentRead: true }));
    if (!item) return 'unknown';
    return item.usedAt !== undefined ? 'used' : 'expired';
  }

  async saveCase(c: InfectionCase): Promise<void> {
    try {
      await this.db.send(
        new PutCommand(
          named({
            TableName: this.tables.infectionCases,
            Item: {
              id: c.id,
              device: c.device,
              reportedAt: c.reportedAt.getTime(),
              ...(c.symptomOnset ? { symptomOnset: c.symptomOnset.getTime() } : {}),
              infectiousFrom: c.infectiousFrom.getTime(),
              infectiousUntil: c.infectiousUntil.getTime(),
            },
            ConditionExpression: 'attribute_not_exists(#id)',
          }),
        ),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new Error(`infection case ${c.id} already exists`, { cause: error });
      throw error;
    }
  }

  async listActiveCases(now: Date): Promise<InfectionCase[]> {
    const items = await scanAll(this.db, {
      TableName: this.tables.infectionCases,
      FilterExpression: '#infectiousUntil > :now',
      ExpressionAttributeValues: { ':now': now.getTime() },
      ConsistentRead: true,
    });
    return items.map(caseFromItem);
  }

  async deleteCasesFor(device: DeviceNumber): Promise<number> {
    const keys = await queryAll(this.db, {
      TableName: this.tables.infectionCases,
      IndexName: CASES_BY_DEVICE_INDEX,
      KeyConditionExpression: '#device = :device',
      ExpressionAttributeValues: { ':device': device },
      ProjectionExpression: '#id',
    });
    return deleteKeys(this.db, this.tables.infectionCases, keys);
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
                ConditionExpression: 'attribute_not_exists(#subject)',
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

function caseFromItem(item: Item): InfectionCase {
  return {
    id: item.id as string,
    device: item.device as number,
    reportedAt: new Date(item.reportedAt as number),
    symptomOnset: item.symptomOnset === undefined ? undefined : new Date(item.symptomOnset as number),
    infectiousFrom: new Date(item.infectiousFrom as number),
    infectiousUntil: new Date(item.infectiousUntil as number),
  };
}
