import type { Contact } from '../contacts/contact.js';
import type { DeviceNumber } from '../device.js';
import { encountersOf } from './encounter.js';
import { probabilityAtDegree, type ExposurePolicy } from './exposure-policy.js';

/** A device's place in one case's chain: degree 0 is the index case itself. */
export interface Exposure {
  caseId: string;
  device: DeviceNumber;
  degree: number;
  /** From when this device may have carried the infection on. */
  exposedAt: Date;
}

/**
 * The devices that `source` exposed through qualifying encounters: only the part of each
 * encounter after the source itself was exposed counts, and that part must last long enough
 * and, when RSSI was measured, be close enough.
 */
export function exposuresCausedBy(
  source: Exposure,
  contacts: Iterable<Contact>,
  policy: ExposurePolicy,
  now: Date,
): Exposure[] {
  const horizon = Math.max(source.exposedAt.getTime(), now.getTime() - policy.lookbackMs);
  const caused: Exposure[] = [];
  for (const encounter of encountersOf(source.device, contacts, policy.encounterGapMs)) {
    const start = Math.max(encounter.firstSeen.getTime(), horizon);
    const qualifies =
      encounter.lastSeen.getTime() - start >= policy.minDurationMs &&
      (encounter.maxRssi === undefined || encounter.maxRssi >= policy.minRssi);
    if (qualifies) {
      caused.push({ caseId: source.caseId, device: encounter.other, degree: source.degree + 1, exposedAt: new Date(start) });
    }
  }
  return caused;
}

export function exposureProbability(policy: ExposurePolicy, exposure: Pick<Exposure, 'degree'>): number {
  return probabilityAtDegree(policy, exposure.degree);
}
