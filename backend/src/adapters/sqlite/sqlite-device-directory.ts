import { randomBytes } from 'node:crypto';
import { deviceNumberFromBytes, type Device, type DeviceNumber } from '../../domain/device.js';
import type { InfectionCase } from '../../domain/exposure/infection-case.js';
import type { VerificationCodeRecord } from '../../domain/verification-code.js';
import type { DeviceDirectory, RedeemOutcome } from '../../ports/device-directory.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface CaseRow {
  id: string;
  device: number;
  reported_at: number;
  symptom_onset: number | null;
  infectious_from: number;
  infectious_until: number;
}

export class SqliteDeviceDirectory implements DeviceDirectory {
  constructor(private readonly store: SqliteDatabase) {}

  ensureDevice(subject: string, now: Date): Promise<Device> {
    return this.store.write(() => {
      const existing = this.readDevice(subject);
      if (existing) return existing;
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

  async findBySubject(subject: string): Promise<Device | undefined> {
    return this.readDevice(subject);
  }

  eraseDevice(device: Device, now: Date): Promise<void> {
    return this.store.write(() => {
      this.store.statement('INSERT INTO erased_devices (number, erased_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(device.number, now.getTime());
      this.store.statement('DELETE FROM devices WHERE subject = ?').run(device.subject);
    });
  }

  async listErasedSince(since: Date): Promise<DeviceNumber[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT number FROM erased_devices WHERE erased_at >= ?').all(since.getTime()) as { number: number }[]).map((r) => r.number),
    );
  }

  purgeErasedBefore(before: Date): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM erased_devices WHERE erased_at < ?').run(before.getTime()).changes);
  }

  saveVerificationCode(record: VerificationCodeRecord): Promise<void> {
    return this.store.write(() => {
      this.store.statement('INSERT INTO verification_codes (code_hash, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?)').run(
        record.codeHash,
        record.issuedBy,
        record.issuedAt.getTime(),
        record.expiresAt.getTime(),
      );
    });
  }

  redeemVerificationCode(codeHash: string, now: Date): Promise<RedeemOutcome> {
    return this.store.write(() => {
      const row = this.store.statement('SELECT expires_at, used_at FROM verification_codes WHERE code_hash = ?').get(codeHash) as
        | { expires_at: number; used_at: number | null }
        | undefined;
      if (!row) return 'unknown';
      if (row.used_at !== null) return 'used';
      if (row.expires_at <= now.getTime()) return 'expired';
      this.store.statement('UPDATE verification_codes SET used_at = ? WHERE code_hash = ?').run(now.getTime(), codeHash);
      return 'redeemed';
    });
  }

  saveCase(c: InfectionCase): Promise<void> {
    return this.store.write(() => {
      this.store.statement(
        'INSERT INTO infection_cases (id, device, reported_at, symptom_onset, infectious_from, infectious_until) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(c.id, c.device, c.reportedAt.getTime(), c.symptomOnset?.getTime() ?? null, c.infectiousFrom.getTime(), c.infectiousUntil.getTime());
    });
  }

  async listActiveCases(now: Date): Promise<InfectionCase[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT * FROM infection_cases WHERE infectious_until > ?').all(now.getTime()) as CaseRow[]).map((row) => ({
        id: row.id,
        device: row.device,
        reportedAt: new Date(row.reported_at),
        symptomOnset: row.symptom_onset === null ? undefined : new Date(row.symptom_onset),
        infectiousFrom: new Date(row.infectious_from),
        infectiousUntil: new Date(row.infectious_until),
      })),
    );
  }

  deleteCasesFor(device: DeviceNumber): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM infection_cases WHERE device = ?').run(device).changes);
  }

  private readDevice(subject: string): Device | undefined {
    const row = this.store.statement('SELECT number, created_at FROM devices WHERE subject = ?').get(subject) as
      | { number: number; created_at: number }
      | undefined;
    return row ? { subject, number: row.number, createdAt: new Date(row.created_at) } : undefined;
  }
}
