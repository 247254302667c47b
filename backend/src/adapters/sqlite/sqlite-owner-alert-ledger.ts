import type { AlertRateLimit, ClaimOutcome, OwnerAlertClaim, OwnerAlertLedger } from '../../ports/owner-alert-ledger.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** Owner alerts in the embedded SQLite file: the claim is one transaction. */
export class SqliteOwnerAlertLedger implements OwnerAlertLedger {
  constructor(private readonly store: SqliteDatabase) {}

  claim(c: OwnerAlertClaim, limit: AlertRateLimit): Promise<ClaimOutcome> {
    return this.store.write((): ClaimOutcome => {
      const earlier = this.store.statement('SELECT status FROM owner_alerts WHERE alert_key = ?').get(c.alertKey) as { status: string } | undefined;
      if (earlier && earlier.status !== 'failed') return 'duplicate';
      const { sent } = this.store
        .statement("SELECT COUNT(*) AS sent FROM owner_alerts WHERE phone_key = ? AND status = 'sent' AND at > ?")
        .get(c.phoneKey, c.at.getTime() - limit.windowMs) as { sent: number };
      const outcome: ClaimOutcome = sent >= limit.max ? 'rate_limited' : 'send';
      this.store
        .statement('INSERT OR REPLACE INTO owner_alerts (alert_key, phone_key, status, at, keep_until) VALUES (?, ?, ?, ?, ?)')
        .run(c.alertKey, c.phoneKey, outcome === 'send' ? 'sent' : 'rate_limited', c.at.getTime(), c.keepUntil.getTime());
      return outcome;
    });
  }

  async markFailed(alertKey: string): Promise<void> {
    await this.store.write(() => this.store.statement("UPDATE owner_alerts SET status = 'failed' WHERE alert_key = ?").run(alertKey));
  }

  forgetDevice(deviceNumber: number): Promise<number> {
    // The number is digits only: no LIKE wildcard in it.
    return this.store.write(() => this.store.statement("DELETE FROM owner_alerts WHERE alert_key LIKE '%:' || ?").run(String(deviceNumber)).changes);
  }

  async stats(): Promise<{ sent: number; rateLimited: number; failed: number }> {
    const rows = this.store.read(() => this.store.statement('SELECT status, COUNT(*) AS n FROM owner_alerts GROUP BY status').all() as { status: string; n: number }[]);
    const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
    return { sent: count('sent'), rateLimited: count('rate_limited'), failed: count('failed') };
  }

  purgeExpired(now: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM owner_alerts WHERE keep_until < ?').run(now.getTime()).changes);
  }
}
