import type { DeviceNumber } from '../../domain/device.js';
import type { TokenIssuance, TokenRegistry } from '../../ports/token-registry.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteTokenRegistry implements TokenRegistry {
  constructor(private readonly store: SqliteDatabase) {}

  async recordIssued(issuances: readonly TokenIssuance[]): Promise<void> {
    await this.store.write(() => {
      const insert = this.store.statement(
        `INSERT INTO token_issuances (device, window_start, valid_until, key_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (device, window_start) DO NOTHING`,
      );
      for (const i of issuances) insert.run(i.device, i.windowStart.getTime(), i.validUntil.getTime(), i.keyId);
    });
  }

  async countFor(device: DeviceNumber): Promise<number> {
    return this.store.read(() => (this.store.statement('SELECT count(*) AS n FROM token_issuances WHERE device = ?').get(device) as { n: number }).n);
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM token_issuances WHERE device = ?').run(device).changes);
  }

  purgeExpired(before: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM token_issuances WHERE valid_until < ?').run(before.getTime()).changes);
  }
}
