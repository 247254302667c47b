import type { SightingInterval } from '../contacts/sighting-interval.js';
import type { DeviceNumber } from '../device.js';
import { firstQualifyingEncounter, type Encounter } from './encounter.js';
import { isNotifiable, type ExposurePolicy } from './exposure-policy.js';
import type { ExposureState } from './exposure-state.js';

/** A state one source's encounter would give the other device, and the encounter that did it. */
export interface CausedExposure {
  state: ExposureState;
  encounter: Encounter;
}

/**
 * What `source` passed to `other` through their sightings: only the part of their encounters after
 * the source was exposed (and within its infectious period and the lookback) counts, and the
 * earliest encounter that reaches the policy's weighted minutes exposes. Undefined when none does,
 * or when the next degree is past the policy's cut-off.
 */
export function exposureCausedBy(
  source: ExposureState,
  other: DeviceNumber,
  pairIntervals: readonly SightingInterval[],
  policy: ExposurePolicy,
  now: Date,
): CausedExposure | undefined {
  if (other === source.device || !isNotifiable(policy, source.degree + 1)) return undefined;
  const from = Math.max(source.exposedAt, now.getTime() - policy.lookbackMs);
  const encounter = firstQualifyingEncounter(pairIntervals, policy.proximity, from, source.until);
  if (!encounter) return undefined;
  const state: ExposureState = { caseId: source.caseId, device: other, degree: source.degree + 1, exposedAt: encounter.start };
  if (source.caseReportedAt !== undefined) state.caseReportedAt = source.caseReportedAt;
  return { state, encounter };
}
