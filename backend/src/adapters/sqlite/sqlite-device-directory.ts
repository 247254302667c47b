import { randomBytes } from 'node:crypto';
import { deviceNumberFromBytes, type Device, type DeviceNumber } from '../../domain/device.js';
import { SubjectErasedError, type DeviceDirectory, type SubjectLookup } from '../../ports/device-directory.js';
import type { SqliteDatabase } from './sqlite-database.js';

export class SqliteDeviceDirectory implements DeviceDirectory {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  ensureDevice(subject: string, now: Date): Promise<Device> {
    return this.store.write(() => {
      const found = this.lookupNow(subject);
      if (found.state === 'active') return found.device;
      if (found.state !== 'unknown') throw new SubjectErasedError();
      const insert = this.store.statement('INSERT INTO devices (subject, number, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
      const isErased = this.store.statement('SELECT 1 FROM erased_devices WHERE number = ?');
      // A fresh random number; a collision with a live or erased device is retried.
      for (;;) {
        const number = deviceNumberFromBytes(randomBytes(6));
        if (isErased.get(number)) continue;
        if (insert.run(subject, number, now.getTime()).changes === 1) return { subject, number, createdAt: now };
      }
    });
  }

  async lookup(subject: string): Promise<SubjectLookup> {
    return this.store.read(() => this.lookupNow(subject));
  }

  beginErasure(device: Device, now: Date): Promise<void> {
    return this.store.write(() => {
      this.store.statement('INSERT INTO erased_devices (number, erased_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(device.number, now.getTime());
      this.store.statement('UPDATE devices SET erasing_since = coalesce(erasing_since, ?) WHERE subject = ?').run(now.getTime(), device.subject);
    });
  }

  completeErasure(device: Device, now: Date, subjectMarkerMs: number): Promise<void> {
    return this.store.write(() => {
      this.store
        .statement('INSERT INTO erased_subjects (subject, until) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET until = max(until, excluded.until)')
        .run(device.subject, now.getTime() + subjectMarkerMs);
      this.store.statement('DELETE FROM devices WHERE subject = ?').run(device.subject);
    });
  }

  async erasedAmong(numbers: readonly DeviceNumber[]): Promise<Set<DeviceNumber>> {
    return this.store.read(() => {
      const select = this.store.statement('SELECT 1 FROM erased_devices WHERE number = ?');
      return new Set(numbers.filter((n) => select.get(n) !== undefined));
    });
  }

  purgeErasedBefore(before: Date): Promise<number> {
    return this.store.write(() => {
      this.store.statement('DELETE FROM erased_subjects WHERE until < ?').run(this.now().getTime());
      return this.store.statement('DELETE FROM erased_devices WHERE erased_at < ?').run(before.getTime()).changes;
    });
  }

  private lookupNow(subject: string): SubjectLookup {
    const row = this.store.statement('SELECT number, created_at, erasing_since FROM devices WHERE subject = ?').get(subject) as
      | { number: number; created_at: number; erasing_since: number | null }
      | undefined;
    if (row) {
      const device = { subject, number: row.number, createdAt: new Date(row.created_at) };
      return row.erasing_since === null ? { state: 'active', device } : { state: 'erasing', device };
    }
    const marker = this.store.statement('SELECT until FROM erased_subjects WHERE subject = ?').get(subject) as { until: number } | undefined;
    return marker && marker.until > this.now().getTime() ? { state: 'erased' } : { state: 'unknown' };
  }
}
