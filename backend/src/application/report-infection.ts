import { createHash, randomUUID } from 'node:crypto';
import type { Device } from '../domain/device.js';
import { InvalidVerificationCodeError } from '../domain/errors.js';
import type { InfectionCase } from '../domain/exposure/infection-case.js';
import { infectiousFrom, type ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import { normalizeVerificationCode } from '../domain/verification-code.js';
import type { InfectionReports } from '../ports/infection-reports.js';
import type { Clock } from './clock.js';

export interface ReportInfectionDeps {
  reports: InfectionReports;
  policy: ExposurePolicy;
  clock: Clock;
  newCaseId?: () => string;
}

export interface ReportedInfection {
  caseId: string;
  /** False when this was a retry of a report already made with this code. */
  created: boolean;
}

export function hashVerificationCode(code: string): string {
  return createHash('sha256').update(normalizeVerificationCode(code)).digest('base64url');
}

/**
 * Redeems the one-time code and records the case with its index state in one transaction; tracing
 * then runs from the tracing outbox, so its contacts are warned even if this process dies right
 * after answering. A retry by the same device with the same code returns the same case.
 */
export async function reportInfection(
  deps: ReportInfectionDeps,
  device: Device,
  verificationCode: string,
  symptomOnset: Date | undefined,
): Promise<ReportedInfection> {
  const now = deps.clock();
  const infectionCase: InfectionCase = {
    id: (deps.newCaseId ?? randomUUID)(),
    device: device.number,
    reportedAt: now,
    symptomOnset,
    infectiousFrom: infectiousFrom(deps.policy, now, symptomOnset),
    infectiousUntil: new Date(now.getTime() + deps.policy.infectiousAfterReportMs),
  };
  const indexState = {
    caseId: infectionCase.id,
    device: device.number,
    degree: 0,
    exposedAt: infectionCase.infectiousFrom.getTime(),
    until: infectionCase.infectiousUntil.getTime(),
    caseReportedAt: now.getTime(),
  };
  const result = await deps.reports.report(hashVerificationCode(verificationCode), infectionCase, indexState, now);
  if (result.outcome === 'created' || result.outcome === 'existing') return { caseId: result.case.id, created: result.outcome === 'created' };
  throw new InvalidVerificationCodeError(result.outcome);
}
