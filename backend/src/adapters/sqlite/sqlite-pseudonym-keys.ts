import { randomBytes } from 'node:crypto';
import type { AnalyticsFamily, PseudonymKey } from '../../domain/analytics/pseudonym.js';
import type { AnalyticsRetention } from '../../ports/analytics-store.js';
import { keyExpiry, type PseudonymKeys } from '../../ports/pseudonym-keys.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface KeyRow {
  family: AnalyticsFamily;
  week: number;
  secret: Buffer;
}

/** The analytics pseudonym keys in the operational file (table analytics_keys). */
export class SqlitePseudonymKeys implements PseudonymKeys {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly retention: AnalyticsRetention,
  ) {}

  async keyFor(family: AnalyticsFamily, week: number): Promise<PseudonymKey> {
    const existing = this.read(family, week);
    if (existing) return existing;
    await this.store.write(() =>
      this.store
        .statement('INSERT INTO analytics_keys (family, week, secret, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(family, week, randomBytes(32), keyExpiry(week, this.retention[family])),
    );
    return this.read(family, week)!;
  }

  async heldKeys(family: AnalyticsFamily): Promise<PseudonymKey[]> {
    return this.store.read(() => (this.store.statement('SELECT family, week, secret FROM analytics_keys WHERE family = ? ORDER BY week').all(family) as KeyRow[]).map(toKey));
  }

  purgeExpired(now: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM analytics_keys WHERE expires_at <= ?').run(now.getTime()).changes);
  }

  private read(family: AnalyticsFamily, week: number): PseudonymKey | undefined {
    const row = this.store.read(() => this.store.statement('SELECT family, week, secret FROM analytics_keys WHERE family = ? AND week = ?').get(family, week) as KeyRow | undefined);
    return row && toKey(row);
  }
}

function toKey(row: KeyRow): PseudonymKey {
  return { family: row.family, week: row.week, secret: new Uint8Array(row.secret) };
}
