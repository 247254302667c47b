import type { RateLimitStore } from '../../ports/rate-limit-store.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** Rate-limit counters in the embedded file: one row per counter, counted inside a write. */
export class SqliteRateLimitStore implements RateLimitStore {
  constructor(private readonly store: SqliteDatabase) {}

  take(key: string, limit: number, expiresAt: Date, now: Date, amount = 1): Promise<{ allowed: boolean; count: number }> {
    return this.store.write(() => {
      const at = now.getTime();
      const row = this.store.statement('SELECT count, expires_at FROM rate_counters WHERE key = ?').get(key) as
        | { count: number; expires_at: number }
        | undefined;
      const current = row && row.expires_at > at ? row.count : 0;
      if (current + amount > limit) return { allowed: false, count: current };
      this.store
        .statement(
          `INSERT INTO rate_counters (key, count, last_at, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET count = excluded.count, last_at = excluded.last_at, expires_at = excluded.expires_at`,
        )
        .run(key, current + amount, at, expiresAt.getTime());
      return { allowed: true, count: current + amount };
    });
  }

  async peek(key: string, now: Date): Promise<{ count: number; lastAt: Date } | undefined> {
    const row = this.store.read(
      () => this.store.statement('SELECT count, last_at, expires_at FROM rate_counters WHERE key = ?').get(key) as
        | { count: number; last_at: number; expires_at: number }
        | undefined,
    );
    return row && row.expires_at > now.getTime() ? { count: row.count, lastAt: new Date(row.last_at) } : undefined;
  }

  purgeExpired(now: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM rate_counters WHERE expires_at <= ?').run(now.getTime()).changes);
  }
}
