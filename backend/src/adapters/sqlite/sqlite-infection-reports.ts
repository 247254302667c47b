import type { DeviceNumber } from '../../domain/device.js';
import type { ExposureState } from '../../domain/exposure/exposure-state.js';
import type { InfectionCase } from '../../domain/exposure/infection-case.js';
import type { VerificationCodeRecord } from '../../domain/verification-code.js';
import type { InfectionReports, ReportOutcome } from '../../ports/infection-reports.js';
import { spreadTask } from '../../ports/tracing-outbox.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { insertTask } from './sqlite-tracing-outbox.js';

interface CaseRow {
  id: string;
  device: number;
  reported_at: number;
  symptom_onset: number | null;
  infectious_from: number;
  infectious_until: number;
}

/** Verification codes and infection cases in the embedded file; a report is one transaction. */
export class SqliteInfectionReports implements InfectionReports {
  constructor(private readonly store: SqliteDatabase) {}

  saveVerificationCode(record: VerificationCodeRecord): Promise<void> {
    return this.store.write(() => {
      this.store
        .statement('INSERT INTO verification_codes (code_hash, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(record.codeHash, record.issuedBy, record.issuedAt.getTime(), record.expiresAt.getTime());
    });
  }

  report(codeHash: string, c: InfectionCase, indexState: ExposureState, now: Date): Promise<ReportOutcome> {
    return this.store.write((): ReportOutcome => {
      const code = this.store.statement('SELECT expires_at, used_at, used_by, case_id FROM verification_codes WHERE code_hash = ?').get(codeHash) as
        | { expires_at: number; used_at: number | null; used_by: number | null; case_id: string | null }
        | undefined;
      if (!code) return { outcome: 'unknown' };
      if (code.used_at !== null) {
        const existing = code.used_by === c.device && code.case_id ? this.readCase(code.case_id) : undefined;
        return existing ? { outcome: 'existing', case: existing } : { outcome: 'used' };
      }
      if (code.expires_at <= now.getTime()) return { outcome: 'expired' };
      this.store.statement('UPDATE verification_codes SET used_at = ?, used_by = ?, case_id = ? WHERE code_hash = ?').run(now.getTime(), c.device, c.id, codeHash);
      this.store
        .statement('INSERT INTO infection_cases (id, device, reported_at, symptom_onset, infectious_from, infectious_until) VALUES (?, ?, ?, ?, ?, ?)')
        .run(c.id, c.device, c.reportedAt.getTime(), c.symptomOnset?.getTime() ?? null, c.infectiousFrom.getTime(), c.infectiousUntil.getTime());
      this.store
        .statement('INSERT INTO exposure_states (case_id, device, degree, exposed_at, until, recorded_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(indexState.caseId, indexState.device, indexState.degree, indexState.exposedAt, indexState.until ?? null, now.getTime());
      const { key, task } = spreadTask(indexState);
      insertTask(this.store, key, task, now.getTime());
      return { outcome: 'created', case: c };
    });
  }

  async reportedBetween(from: Date, until: Date): Promise<InfectionCase[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT * FROM infection_cases WHERE reported_at >= ? AND reported_at < ? ORDER BY reported_at, id').all(from.getTime(), until.getTime()) as CaseRow[]).map(caseFromRow),
    );
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.store.write(() => {
      this.store.statement('UPDATE verification_codes SET used_by = NULL, case_id = NULL WHERE used_by = ?').run(device);
      return this.store.statement('DELETE FROM infection_cases WHERE device = ?').run(device).changes;
    });
  }

  purge(casesBefore: Date, codesBefore: Date): Promise<{ cases: number; verificationCodes: number }> {
    return this.store.write(() => ({
      cases: this.store.statement('DELETE FROM infection_cases WHERE reported_at < ?').run(casesBefore.getTime()).changes,
      verificationCodes: this.store.statement('DELETE FROM verification_codes WHERE expires_at < ?').run(codesBefore.getTime()).changes,
    }));
  }

  async stats(): Promise<{ cases: number }> {
    return this.store.read(() => ({ cases: (this.store.statement('SELECT count(*) AS n FROM infection_cases').get() as { n: number }).n }));
  }

  private readCase(id: string): InfectionCase | undefined {
    const row = this.store.statement('SELECT * FROM infection_cases WHERE id = ?').get(id) as CaseRow | undefined;
    return row ? caseFromRow(row) : undefined;
  }
}

function caseFromRow(row: CaseRow): InfectionCase {
  return {
    id: row.id,
    device: row.device,
    reportedAt: new Date(row.reported_at),
    symptomOnset: row.symptom_onset === null ? undefined : new Date(row.symptom_onset),
    infectiousFrom: new Date(row.infectious_from),
    infectiousUntil: new Date(row.infectious_until),
  };
}
