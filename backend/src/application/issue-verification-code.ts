import { randomBytes } from 'node:crypto';
import { formatVerificationCode } from '../domain/verification-code.js';
import type { InfectionReports } from '../ports/infection-reports.js';
import type { Clock } from './clock.js';
import { hashVerificationCode } from './report-infection.js';

export interface IssueVerificationCodeDeps {
  reports: InfectionReports;
  ttlMs: number;
  clock: Clock;
}

/** A one-time code for a positive test; only its hash is stored. */
export async function issueVerificationCode(deps: IssueVerificationCodeDeps, official: string): Promise<{ code: string; expiresAt: Date }> {
  const code = formatVerificationCode(randomBytes(10));
  const issuedAt = deps.clock();
  const expiresAt = new Date(issuedAt.getTime() + deps.ttlMs);
  await deps.reports.saveVerificationCode({ codeHash: hashVerificationCode(code), issuedBy: official, issuedAt, expiresAt });
  return { code, expiresAt };
}
