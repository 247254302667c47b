import type { DeviceNumber } from '../../domain/device.js';
import type { TokenFlag, TokenFlags } from '../../ports/token-flags.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface FlagRow {
  device: number;
  window_start: number;
  reason: TokenFlag['reason'];
  reporters: number;
  flagged_at: number;
}

export class SqliteTokenFlags implements TokenFlags {
  constructor(private readonly store: SqliteDatabase) {}

  record(flags: readonly TokenFlag[]): Promise<void> {
    return this.store.write(() => {
      const insert = this.store.statement('INSERT INTO token_flags (device, window_start, reason, reporters, flagged_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
      for (const f of flags) insert.run(f.device, f.windowStartMinute, f.reason, f.reporters, f.flaggedAt.getTime());
    });
  }

  async list(limit: number): Promise<TokenFlag[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT * FROM token_flags ORDER BY flagged_at DESC, device LIMIT ?').all(limit) as FlagRow[]).map((r) => ({
        device: r.device,
        windowStartMinute: r.window_start,
        reason: r.reason,
        reporters: r.reporters,
        flaggedAt: new Date(r.flagged_at),
      })),
    );
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM token_flags WHERE device = ?').run(device).changes);
  }

  purgeOlderThan(before: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM token_flags WHERE flagged_at < ?').run(before.getTime()).changes);
  }
}
