import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeviceNumber } from '../../domain/device.js';
import type { ExposureState } from '../../domain/exposure/exposure-state.js';
import type { InfectionCase } from '../../domain/exposure/infection-case.js';
import type { VerificationCodeRecord } from '../../domain/verification-code.js';
import type { InfectionReports, ReportOutcome } from '../../ports/infection-reports.js';
import { spreadTask } from '../../ports/tracing-outbox.js';
import { deleteKeys, isConditionalCheckFailed, named, queryAll, scanAll, type Item } from './dynamo-operations.js';
import { CASES_BY_DEVICE_INDEX, CODES_BY_USER_INDEX, TTL_ATTRIBUTE, ttlSeconds, type DynamoTableNames } from './dynamo-tables.js';
import { outboxItem } from './dynamo-tracing-outbox.js';

export interface DynamoInfectionReportsOptions {
  tables: Pick<DynamoTableNames, 'verificationCodes' | 'infectionCases' | 'exposures' | 'tracingOutbox'>;
  /** Cases are kept this long after the report (their TTL). */
  caseRetentionMs: number;
  /** Codes are kept this long after they expire, so a late redeem says "used" or "expired", not "unknown". */
  codeRetentionMs: number;
  /** The exposure items' TTL, as the ledger sets it. */
  exposureRetentionMs: number;
}

const MAX_CONFLICT_RETRIES = 20;

/**
 * Verification codes and infection cases on DynamoDB. A report is one transaction: the code is
 * redeemed (conditionally: unused and unexpired), the case is put, the reporter's exposure item
 * gains the index state (version-checked, as the ledger writes it) and the spread task lands in the
 * tracing outbox. When the code condition fails, the code says why; redeemed by the same device,
 * the case it points at is the answer to a retry.
 */
export class DynamoInfectionReports implements InfectionReports {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly options: DynamoInfectionReportsOptions,
  ) {}

  async saveVerificationCode(record: VerificationCodeRecord): Promise<void> {
    try {
      await this.db.send(
        new PutCommand(
          named({
            TableName: this.options.tables.verificationCodes,
            Item: {
              codeHash: record.codeHash,
              issuedBy: record.issuedBy,
              issuedAt: record.issuedAt.getTime(),
              expiresAt: record.expiresAt.getTime(),
              [TTL_ATTRIBUTE]: ttlSeconds(record.expiresAt.getTime() + this.options.codeRetentionMs),
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

  async report(codeHash: string, c: InfectionCase, indexState: ExposureState, now: Date): Promise<ReportOutcome> {
    const { tables } = this.options;
    for (let attempt = 0; ; attempt++) {
      const { Item: exposures } = await this.db.send(new GetCommand({ TableName: tables.exposures, Key: { device: c.device }, ConsistentRead: true }));
      const version = (exposures?.version as number | undefined) ?? 0;
      const cases = { ...((exposures?.cases as Record<string, unknown> | undefined) ?? {}) };
      cases[c.id] = { states: [[indexState.degree, indexState.exposedAt, indexState.until ?? null]], changedAt: now.getTime() };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: named({
                  TableName: tables.verificationCodes,
                  Key: { codeHash },
                  UpdateExpression: 'SET #usedAt = :now, #usedBy = :device, #caseId = :caseId',
                  ConditionExpression: 'attribute_exists(#codeHash) AND attribute_not_exists(#usedAt) AND #expiresAt > :now',
                  ExpressionAttributeValues: { ':now': now.getTime(), ':device': c.device, ':caseId': c.id },
                }),
              },
              { Put: { TableName: tables.infectionCases, Item: { ...caseItem(c), [TTL_ATTRIBUTE]: ttlSeconds(c.reportedAt.getTime() + this.options.caseRetentionMs) } } },
              {
                Put: named({
                  TableName: tables.exposures,
                  Item: { device: c.device, version: version + 1, cases, [TTL_ATTRIBUTE]: ttlSeconds(now.getTime() + this.options.exposureRetentionMs) },
                  ConditionExpression: version === 0 ? 'attribute_not_exists(#device)' : '#version = :version',
                  ...(version === 0 ? {} : { ExpressionAttributeValues: { ':version': version } }),
                }),
              },
              { Put: { TableName: tables.tracingOutbox, Item: outboxItem(spreadTask(indexState), now) } },
            ],
          }),
        );
        return { outcome: 'created', case: c };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons[0] === 'ConditionalCheckFailed') return this.whyNot(codeHash, c.device);
        if (attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  async reportedBetween(from: Date, until: Date): Promise<InfectionCase[]> {
    const items = await scanAll(this.db, {
      TableName: this.options.tables.infectionCases,
      ConsistentRead: true,
      FilterExpression: '#reportedAt >= :from AND #reportedAt < :until',
      ExpressionAttributeValues: { ':from': from.getTime(), ':until': until.getTime() },
    });
    return items.map(caseFromItem).sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  async deleteFor(device: DeviceNumber): Promise<number> {
    const { tables } = this.options;
    const codes = await queryAll(this.db, { TableName: tables.verificationCodes, IndexName: CODES_BY_USER_INDEX, KeyConditionExpression: '#usedBy = :device', ExpressionAttributeValues: { ':device': device } });
    for (const code of codes) {
      await this.db.send(new UpdateCommand(named({ TableName: tables.verificationCodes, Key: { codeHash: code.codeHash }, UpdateExpression: 'REMOVE #usedBy, #caseId' })));
    }
    const keys = await queryAll(this.db, { TableName: tables.infectionCases, IndexName: CASES_BY_DEVICE_INDEX, KeyConditionExpression: '#device = :device', ExpressionAttributeValues: { ':device': device }, ProjectionExpression: '#id' });
    return deleteKeys(this.db, tables.infectionCases, keys);
  }

  async purge(casesBefore: Date, codesBefore: Date): Promise<{ cases: number; verificationCodes: number }> {
    const { tables } = this.options;
    const cases = await scanAll(this.db, { TableName: tables.infectionCases, FilterExpression: '#reportedAt < :before', ExpressionAttributeValues: { ':before': casesBefore.getTime() }, ProjectionExpression: '#id' });
    const codes = await scanAll(this.db, { TableName: tables.verificationCodes, FilterExpression: '#expiresAt < :before', ExpressionAttributeValues: { ':before': codesBefore.getTime() }, ProjectionExpression: '#codeHash' });
    return { cases: await deleteKeys(this.db, tables.infectionCases, cases), verificationCodes: await deleteKeys(this.db, tables.verificationCodes, codes) };
  }

  async stats(): Promise<{ cases: number }> {
    return { cases: (await scanAll(this.db, { TableName: this.options.tables.infectionCases, ProjectionExpression: '#id' })).length };
  }

  /** The code refused the report: say why, in the same order as the embedded adapter. */
  private async whyNot(codeHash: string, device: DeviceNumber): Promise<ReportOutcome> {
    const { tables } = this.options;
    const { Item: code } = await this.db.send(new GetCommand({ TableName: tables.verificationCodes, Key: { codeHash }, ConsistentRead: true }));
    if (!code) return { outcome: 'unknown' };
    if (code.usedAt === undefined) return { outcome: 'expired' };
    if (code.usedBy === device && typeof code.caseId === 'string') {
      const { Item: existing } = await this.db.send(new GetCommand({ TableName: tables.infectionCases, Key: { id: code.caseId }, ConsistentRead: true }));
      if (existing) return { outcome: 'existing', case: caseFromItem(existing) };
    }
    return { outcome: 'used' };
  }
}

function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

function caseItem(c: InfectionCase): Item {
  return {
    id: c.id,
    device: c.device,
    reportedAt: c.reportedAt.getTime(),
    ...(c.symptomOnset ? { symptomOnset: c.symptomOnset.getTime() } : {}),
    infectiousFrom: c.infectiousFrom.getTime(),
    infectiousUntil: c.infectiousUntil.getTime(),
  };
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
