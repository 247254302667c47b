import { randomUUID } from 'node:crypto';
import { BatchGetCommand, DeleteCommand, GetCommand, ScanCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeviceNumber } from '../../domain/device.js';
import { isNotifiable, type ExposurePolicy } from '../../domain/exposure/exposure-policy.js';
import { addToFront, type ExposureState } from '../../domain/exposure/exposure-state.js';
import { warningAfter, type ExposureNotification } from '../../domain/exposure/notification.js';
import type { ExposureLedger, LedgerChanges, LedgerStats } from '../../ports/exposure-ledger.js';
import { deliverTask, spreadTask, type KeyedTask } from '../../ports/tracing-outbox.js';
import { deleteKeys, isConditionalCheckFailed, named, scanAll, type Item } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';
import { outboxItem } from './dynamo-tracing-outbox.js';

/** [degree, exposedAt, until] */
type StoredState = [number, number, number | null];
interface StoredWarning {
  id: string;
  degree: number;
  probability: number;
  exposedAt: number;
  issuedAt: number;
  updatedAt?: number;
  acknowledgedAt?: number;
}
interface StoredCase {
  states: StoredState[];
  warning?: StoredWarning;
  /** When this (case, device) last changed: what retention counts from. */
  changedAt: number;
}
interface ExposureItem {
  device: number;
  version: number;
  cases: Record<string, StoredCase>;
}

export interface DynamoExposureLedgerOptions {
  table: string;
  outboxTable: string;
  /** How long a (case, device) is kept after its last change (the item's TTL follows its newest case). */
  retentionMs: number;
}

const BATCH_GET_LIMIT = 100;
const MAX_CONFLICT_RETRIES = 20;
/**
 * The officials' counters (warnings held, raises) live in a few items keyed by negative numbers,
 * which are never device numbers, and are updated inside the transaction that changes a warning;
 * spreading them over shards keeps concurrent transactions from conflicting on one item.
 */
const COUNTER_SHARDS = Array.from({ length: 16 }, (_, i) => -(i + 1));

/**
 * The exposure ledger on DynamoDB: one item per device holding, per case, its Pareto front of
 * states and its warning. An item is read consistently and written back with a version condition,
 * in one transaction with the tracing tasks the change queues (spread for each new state that can
 * spread, deliver for each warning issued or raised), so no state lands without its task. One item
 * per device makes the consumer's "who among these can pass exposure on" one BatchGetItem.
 */
export class DynamoExposureLedger implements ExposureLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly options: DynamoExposureLedgerOptions,
    private readonly newId: () => string = randomUUID,
  ) {}

  async statesOf(devices: readonly DeviceNumber[]): Promise<ExposureState[]> {
    const items = await this.batchGet([...new Set(devices)]);
    return items.flatMap((item) => Object.entries(item.cases).flatMap(([caseId, c]) => c.states.map((s) => fromStored(caseId, item.device, s))));
  }

  async record(candidates: readonly ExposureState[], policy: ExposurePolicy, now: Date): Promise<LedgerChanges> {
    const byDevice = new Map<DeviceNumber, ExposureState[]>();
    for (const c of candidates) byDevice.set(c.device, [...(byDevice.get(c.device) ?? []), c]);
    const changes: LedgerChanges = { added: [], events: [] };
    await Promise.all([...byDevice].map(async ([device, group]) => this.recordDevice(device, group, policy, now, changes)));
    return changes;
  }

  async notificationsFor(device: DeviceNumber): Promise<ExposureNotification[]> {
    const item = await this.get(device);
    if (!item) return [];
    return Object.entries(item.cases)
      .flatMap(([caseId, c]) => (c.warning ? [warningFromStored(caseId, device, c.warning)] : []))
      .sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.caseId.localeCompare(b.caseId));
  }

  async acknowledge(device: DeviceNumber, id: string, at: Date): Promise<Date | undefined> {
    for (let attempt = 0; ; attempt++) {
      const item = await this.get(device);
      const entry = item && Object.entries(item.cases).find(([, c]) => c.warning?.id === id);
      if (!item || !entry) return undefined;
      const [caseId, stored] = entry;
      if (stored.warning!.acknowledgedAt !== undefined) return new Date(stored.warning!.acknowledgedAt);
      try {
        // The version moves too, so that a tracer writing the item meanwhile retries with the acknowledgement in it.
        await this.db.send(
          new UpdateCommand({
            TableName: this.options.table,
            Key: { device },
            UpdateExpression: 'SET #cases.#case.#warning.#ack = :at, #version = :next',
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#cases': 'cases', '#case': caseId, '#warning': 'warning', '#ack': 'acknowledgedAt', '#version': 'version' },
            ExpressionAttributeValues: { ':at': at.getTime(), ':version': item.version, ':next': item.version + 1 },
          }),
        );
        return at;
      } catch (error) {
        if (!isConditionalCheckFailed(error) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  async *allNotifications(): AsyncIterable<ExposureNotification[]> {
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.db.send(new ScanCommand({ TableName: this.options.table, ExclusiveStartKey }));
      const items = (page.Items ?? []) as unknown as ExposureItem[];
      const warnings = items
        .filter((item) => item.device > 0)
        .flatMap((item) => Object.entries(item.cases).flatMap(([caseId, c]) => (c.warning ? [warningFromStored(caseId, item.device, c.warning)] : [])));
      if (warnings.length > 0) yield warnings;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  async deleteFor(device: DeviceNumber): Promise<number> {
    const { Attributes: old } = await this.db.send(new DeleteCommand({ TableName: this.options.table, Key: { device }, ReturnValues: 'ALL_OLD' }));
    const warnings = old ? Object.values((old as ExposureItem).cases).filter((c) => c.warning) : [];
    // After the delete, not with it: a crash in between leaves the count one erasure too high.
    if (warnings.length > 0) await this.db.send(new UpdateCommand(this.counterUpdate(-warnings.length, -warnings.filter((w) => w.warning?.updatedAt !== undefined).length)));
    return warnings.length;
  }

  async purgeOlderThan(before: Date): Promise<number> {
    const items = (await scanAll(this.db, { TableName: this.options.table, ConsistentRead: true })) as unknown as ExposureItem[];
    let warnings = 0;
    let raised = 0;
    for (const item of items) {
      if (item.device < 0) continue;
      const expired = Object.entries(item.cases).filter(([, c]) => c.changedAt < before.getTime());
      if (expired.length === 0) continue;
      warnings += expired.filter(([, c]) => c.warning).length;
      raised += expired.filter(([, c]) => c.warning?.updatedAt !== undefined).length;
      const kept = Object.fromEntries(Object.entries(item.cases).filter(([, c]) => c.changedAt >= before.getTime()));
      if (Object.keys(kept).length === 0) await deleteKeys(this.db, this.options.table, [{ device: item.device }]);
      else await this.write({ ...item, version: item.version + 1, cases: kept }, item.version, []).catch(() => undefined); // changed meanwhile: the next purge
    }
    if (warnings > 0) await this.db.send(new UpdateCommand(this.counterUpdate(-warnings, -raised)));
    return warnings;
  }

  async stats(): Promise<LedgerStats> {
    const shards = (await this.batchGet(COUNTER_SHARDS)) as unknown as { notifications?: number; raised?: number }[];
    return {
      notifications: shards.reduce((n, s) => n + (s.notifications ?? 0), 0),
      raised: shards.reduce((n, s) => n + (s.raised ?? 0), 0),
    };
  }

  private async recordDevice(device: DeviceNumber, group: readonly ExposureState[], policy: ExposurePolicy, now: Date, changes: LedgerChanges): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const item = (await this.get(device)) ?? { device, version: 0, cases: {} };
      const local: LedgerChanges = { added: [], events: [] };
      const counts = { issued: 0, raised: 0 };
      const tasks: KeyedTask[] = [];
      const cases = { ...item.cases };
      for (const caseId of new Set(group.map((g) => g.caseId))) {
        const stored = cases[caseId];
        const before = (stored?.states ?? []).map((s) => fromStored(caseId, device, s));
        let front = before;
        for (const candidate of group.filter((g) => g.caseId === caseId)) front = addToFront(front, candidate) ?? front;
        const added = front.filter((s) => !before.some((b) => sameState(b, s)));
        if (added.length === 0) continue;
        local.added.push(...added);
        for (const s of added) if (isNotifiable(policy, s.degree + 1)) tasks.push(spreadTask(s));
        const previous = stored?.warning ? warningFromStored(caseId, device, stored.warning) : undefined;
        const event = warningAfter(previous, front, policy, now, this.newId);
        if (event) {
          local.events.push(event);
          tasks.push(deliverTask(event));
          // Counted as the embedded store counts: warnings held, and those of them ever raised.
          if (event.kind === 'issued') counts.issued++;
          else if (stored?.warning?.updatedAt === undefined) counts.raised++;
        }
        cases[caseId] = { states: front.map(toStored), changedAt: now.getTime(), ...(event ? { warning: warningToStored(event.notification) } : stored?.warning ? { warning: stored.warning } : {}) };
      }
      if (local.added.length === 0) return;
      try {
        await this.write({ device, version: item.version + 1, cases }, item.version, tasks, now, counts);
        changes.added.push(...local.added);
        changes.events.push(...local.events);
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /** Writes the item if its version is still `expected`, with the outbox tasks and the counters, in one transaction. */
  private async write(item: ExposureItem, expected: number, tasks: readonly KeyedTask[], now = new Date(), counts = { issued: 0, raised: 0 }): Promise<void> {
    const { issued, raised } = counts;
    const newest = Math.max(...Object.values(item.cases).map((c) => c.changedAt));
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: named({
              TableName: this.options.table,
              Item: { ...item, [TTL_ATTRIBUTE]: ttlSeconds(newest + this.options.retentionMs) },
              ConditionExpression: expected === 0 ? 'attribute_not_exists(#device)' : '#version = :expected',
              ...(expected === 0 ? {} : { ExpressionAttributeValues: { ':expected': expected } }),
            }),
          },
          ...tasks.map((task) => ({ Put: { TableName: this.options.outboxTable, Item: outboxItem(task, now) } })),
          ...(issued + raised > 0 ? [{ Update: this.counterUpdate(issued, raised) }] : []),
        ],
      }),
    );
  }

  private counterUpdate(notifications: number, raised: number) {
    return named({
      TableName: this.options.table,
      Key: { device: COUNTER_SHARDS[Math.floor(Math.random() * COUNTER_SHARDS.length)]! },
      UpdateExpression: 'ADD #notifications :notifications, #raised :raised',
      ExpressionAttributeValues: { ':notifications': notifications, ':raised': raised },
    });
  }

  private async get(device: DeviceNumber): Promise<ExposureItem | undefined> {
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.options.table, Key: { device }, ConsistentRead: true }));
    return item as ExposureItem | undefined;
  }

  private async batchGet(devices: DeviceNumber[]): Promise<ExposureItem[]> {
    const chunks = Array.from({ length: Math.ceil(devices.length / BATCH_GET_LIMIT) }, (_, i) => devices.slice(i * BATCH_GET_LIMIT, (i + 1) * BATCH_GET_LIMIT));
    const pages = await Promise.all(
      chunks.map(async (chunk) => {
        const items: Item[] = [];
        let keys: Item[] = chunk.map((device) => ({ device }));
        while (keys.length > 0) {
          const result = await this.db.send(new BatchGetCommand({ RequestItems: { [this.options.table]: { Keys: keys, ConsistentRead: true } } }));
          items.push(...(result.Responses?.[this.options.table] ?? []));
          keys = (result.UnprocessedKeys?.[this.options.table]?.Keys as Item[] | undefined) ?? [];
        }
        return items;
      }),
    );
    return pages.flat() as unknown as ExposureItem[];
  }
}

function isConflict(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}

function sameState(a: ExposureState, b: ExposureState): boolean {
  return a.degree === b.degree && a.exposedAt === b.exposedAt && (a.until ?? null) === (b.until ?? null);
}

function toStored(s: ExposureState): StoredState {
  return [s.degree, s.exposedAt, s.until ?? null];
}

function fromStored(caseId: string, device: DeviceNumber, [degree, exposedAt, until]: StoredState): ExposureState {
  return { caseId, device, degree, exposedAt, until: until ?? undefined };
}

function warningToStored(n: ExposureNotification): StoredWarning {
  return {
    id: n.id,
    degree: n.degree,
    probability: n.probability,
    exposedAt: n.exposedAt.getTime(),
    issuedAt: n.issuedAt.getTime(),
    ...(n.updatedAt ? { updatedAt: n.updatedAt.getTime() } : {}),
    ...(n.acknowledgedAt ? { acknowledgedAt: n.acknowledgedAt.getTime() } : {}),
  };
}

function warningFromStored(caseId: string, device: DeviceNumber, w: StoredWarning): ExposureNotification {
  return {
    id: w.id,
    caseId,
    device,
    degree: w.degree,
    probability: w.probability,
    exposedAt: new Date(w.exposedAt),
    issuedAt: new Date(w.issuedAt),
    updatedAt: w.updatedAt === undefined ? undefined : new Date(w.updatedAt),
    acknowledgedAt: w.acknowledgedAt === undefined ? undefined : new Date(w.acknowledgedAt),
  };
}
