import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditLog } from '../../ports/audit-log.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteAuditLog implements AuditLog {
  constructor(private readonly store: SqliteDatabase) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.store.write(() => {
      this.store
        .statement('INSERT INTO audit_log (id, actor, action, at, count_today) VALUES (?, ?, ?, ?, ?)')
        .run(randomUUID(), entry.actor, entry.action, entry.at.getTime(), entry.countToday);
    });
  }

  async listFor(actor: string, since: Date): Promise<AuditEntry[]> {
    const rows = this.store.read(
      () =>
        this.store.statement('SELECT actor, action, at, count_today FROM audit_log WHERE actor = ? AND at >= ? ORDER BY at, rowid').all(actor, since.getTime()) as {
          actor: string;
          action: AuditEntry['action'];
          at: number;
          count_today: number;
        }[],
    );
    return rows.map((r) => ({ actor: r.actor, action: r.action, at: new Date(r.at), countToday: r.count_today }));
  }

  purgeOlderThan(before: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM audit_log WHERE at < ?').run(before.getTime()).changes);
  }
}
