import { createHash, randomUUID } from 'node:crypto';
import type { Device } from '../domain/device.js';
import { InvalidVerificationCodeError } from '../domain/errors.js';
import type { InfectionCase } from '../domain/exposure/infection-case.js';
import { infectiousFrom, type ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import { normalizeVerificationCode } from '../domain/verification-code.js';
import type { DeviceDirectory } from '../ports/device-directory.js';
import type { Clock } from './clock.js';
import type { ExposureIndex } from './exposure-index.js';
import type { ExposureTracer } from './exposure-tracer.js';

export interface ReportInfectionDeps {
  devices: DeviceDirectory;
  index: ExposureIndex;
  tracer: ExposureTracer;
  policy: ExposurePolicy;
  clock: Clock;
}

export interface ReportedInfection {
  caseId: string;
  notified: number;
}

export function hashVerificationCode(code: string): string {
  return createHash('sha256').update(normalizeVerificationCode(code)).digest('base64url');
}

/** Redeems the one-time code, records the case and notifies its contacts. */
export async function reportInfection(
  deps: ReportInfectionDeps,
  device: Device,
  verificationCode: string,
  symptomOnset: Date | undefined,
): Promise<ReportedInfection> {
  const now = deps.clock();
  const outcome = await deps.devices.redeemVerificationCode(hashVerificationCode(verificationCode), now);
  if (outcome !== 'redeemed') throw new InvalidVerificationCodeError(outcome);

  const infectionCase: InfectionCase = {
    id: randomUUID(),
    device: device.number,
    reportedAt: now,
    symptomOnset,
    infectiousFrom: infectiousFrom(deps.policy, now, symptomOnset),
    infectiousUntil: new Date(now.getTime() + deps.policy.infectiousAfterReportMs),
  };
  await deps.devices.saveCase(infectionCase);
  const indexExposure = { caseId: infectionCase.id, device: device.number, degree: 0, exposedAt: infectionCase.infectiousFrom };
  deps.index.add(indexExposure, device.number, infectionCase.infectiousUntil);
  const notified = await deps.tracer.spreadFrom(indexExposure, device.number);
  return { caseId: infectionCase.id, notified: notified.length };
}
