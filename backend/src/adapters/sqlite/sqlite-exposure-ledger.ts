import { randomUUID } from 'node:crypto';
import type { DeviceNumber } from '../../domain/device.js';
import { isNotifiable, type ExposurePolicy } from '../../domain/exposure/exposure-policy.js';
import { addToFront, stateKey, type ExposureState } from '../../domain/exposure/exposure-state.js';
import { warningAfter, type ExposureNotification, type NotificationEvent } from '../../domain/exposure/notification.js';
import type { ExposureLedger, LedgerChanges, LedgerStats } from '../../ports/exposure-ledger.js';
import { deliverTask, spreadTask } from '../../ports/tracing-outbox.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { insertTask } from './sqlite-tracing-outbox.js';

interface StateRow {
  case_id: string;
  device: number;
  degree: number;
  exposed_at: number;
  until: number | null;
}

interface WarningRow {
  case_id: string;
  device: number;
  id: string;
  degree: number;
  probability: number;
  exposed_at: number;
  issued_at: number;
  updated_at: number | null;
  acknowledged_at: number | null;
}

const PAGE_SIZE = 1000;

/** Exposure states, warnings and their tracing tasks in the embedded file: one transaction per record(). */
export class SqliteExposureLedger implements ExposureLedger {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly newId: () => string = randomUUID,
  ) {}

  async statesOf(devices: readonly DeviceNumber[]): Promise<ExposureState[]> {
    return this.store.read(() => {
      const select = this.store.statement('SELECT case_id, device, degree, exposed_at, until FROM exposure_states WHERE device = ?');
      return [...new Set(devices)].flatMap((d) => (select.all(d) as StateRow[]).map(stateFromRow));
    });
  }

  record(candidates: readonly ExposureState[], policy: ExposurePolicy, now: Date): Promise<LedgerChanges> {
    if (candidates.length === 0) return Promise.resolve({ added: [], events: [] });
    return this.store.write(() => {
      const byKey = new Map<string, ExposureState[]>();
      for (const c of candidates) byKey.set(stateKey(c), [...(byKey.get(stateKey(c)) ?? []), c]);
      const changes: LedgerChanges = { added: [], events: [] };
      for (const group of byKey.values()) this.recordOne(group, policy, now, changes);
      return changes;
    });
  }

  async notificationsFor(device: DeviceNumber): Promise<ExposureNotification[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT * FROM warnings WHERE device = ? ORDER BY issued_at, case_id').all(device) as WarningRow[]).map(warningFromRow),
    );
  }

  acknowledge(device: DeviceNumber, id: string, at: Date): Promise<Date | undefined> {
    return this.store.write(() => {
      this.store.statement('UPDATE warnings SET acknowledged_at = coalesce(acknowledged_at, ?) WHERE device = ? AND id = ?').run(at.getTime(), device, id);
      const row = this.store.statement('SELECT acknowledged_at FROM warnings WHERE device = ? AND id = ?').get(device, id) as { acknowledged_at: number } | undefined;
      return row ? new Date(row.acknowledged_at) : undefined;
    });
  }

  async *allNotifications(): AsyncIterable<ExposureNotification[]> {
    const page = this.store.statement('SELECT * FROM warnings WHERE (case_id, device) > (?, ?) ORDER BY case_id, device LIMIT ?');
    let after: [string, number] = ['', -1];
    for (;;) {
      const rows = this.store.read(() => page.all(after[0], after[1], PAGE_SIZE) as WarningRow[]);
      if (rows.length > 0) yield rows.map(warningFromRow);
      if (rows.length < PAGE_SIZE) return;
      const last = rows[rows.length - 1]!;
      after = [last.case_id, last.device];
    }
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.store.write(() => {
      this.store.statement('DELETE FROM exposure_states WHERE device = ?').run(device);
      return this.store.statement('DELETE FROM warnings WHERE device = ?').run(device).changes;
    });
  }

  purgeOlderThan(before: Date): Promise<number> {
    return this.store.write(() => {
      this.store.statement('DELETE FROM exposure_states WHERE recorded_at < ?').run(before.getTime());
      return this.store.statement('DELETE FROM warnings WHERE coalesce(updated_at, issued_at) < ?').run(before.getTime()).changes;
    });
  }

  async stats(): Promise<LedgerStats> {
    return this.store.read(() => {
      const row = this.store.statement('SELECT count(*) AS n, count(updated_at) AS raised FROM warnings').get() as { n: number; raised: number };
      return { notifications: row.n, raised: row.raised };
    });
  }

  /** One (case, device): its front grows by the candidates that improve it; its warning follows. */
  private recordOne(group: readonly ExposureState[], policy: ExposurePolicy, now: Date, changes: LedgerChanges): void {
    const { caseId, device } = group[0]!;
    let front = (this.store.statement('SELECT case_id, device, degree, exposed_at, until FROM exposure_states WHERE case_id = ? AND device = ?').all(caseId, device) as StateRow[]).map(stateFromRow);
    const before = new Set(front.map(rowKey));
    for (const candidate of group) front = addToFront(front, candidate) ?? front;
    const after = new Set(front.map(rowKey));
    if (front.length === before.size && [...after].every((k) => before.has(k))) return;

    const at = now.getTime();
    this.store.statement('DELETE FROM exposure_states WHERE case_id = ? AND device = ?').run(caseId, device);
    const insert = this.store.statement('INSERT INTO exposure_states (case_id, device, degree, exposed_at, until, recorded_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const s of front) {
      insert.run(s.caseId, s.device, s.degree, s.exposedAt, s.until ?? null, at);
      if (before.has(rowKey(s))) continue;
      changes.added.push(s);
      if (isNotifiable(policy, s.degree + 1)) {
        const { key, task } = spreadTask(s);
        insertTask(this.store, key, task, at);
      }
    }
    const previous = this.store.statement('SELECT * FROM warnings WHERE case_id = ? AND device = ?').get(caseId, device) as WarningRow | undefined;
    const event = warningAfter(previous && warningFromRow(previous), front, policy, now, this.newId);
    if (event) this.saveWarning(event, at, changes);
  }

  private saveWarning(event: NotificationEvent, at: number, changes: LedgerChanges): void {
    const n = event.notification;
    this.store
      .statement(
        `INSERT INTO warnings (case_id, device, id, degree, probability, exposed_at, issued_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (case_id, device) DO UPDATE SET degree = excluded.degree, probability = excluded.probability,
           exposed_at = excluded.exposed_at, updated_at = excluded.updated_at`,
      )
      .run(n.caseId, n.device, n.id, n.degree, n.probability, n.exposedAt.getTime(), n.issuedAt.getTime(), n.updatedAt?.getTime() ?? null);
    const { key, task } = deliverTask(event);
    insertTask(this.store, key, task, at);
    changes.events.push(event);
  }
}

function rowKey(s: ExposureState): string {
  return `${s.degree}:${s.exposedAt}:${s.until ?? ''}`;
}

function stateFromRow(row: StateRow): ExposureState {
  return { caseId: row.case_id, device: row.device, degree: row.degree, exposedAt: row.exposed_at, until: row.until ?? undefined };
}

function warningFromRow(row: WarningRow): ExposureNotification {
  return {
    id: row.id,
    caseId: row.case_id,
    device: row.device,
    degree: row.degree,
    probability: row.probability,
    exposedAt: new Date(row.exposed_at),
    issuedAt: new Date(row.issued_at),
    updatedAt: row.updated_at === null ? undefined : new Date(row.updated_at),
    acknowledgedAt: row.acknowledged_at === null ? undefined : new Date(row.acknowledged_at),
  };
}
