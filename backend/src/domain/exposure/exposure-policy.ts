import type { ProximityPolicy } from './proximity-policy.js';
import type { RelayRules } from './token-relay.js';

/**
 * The rules health officials set for who is warned. Probabilities multiply along a chain
 * of contacts: a contact of the index case has `hopProbability`, their contact its square,
 * and so on while the result stays at or above `minNotifyProbability`.
 */
export interface ExposurePolicy {
  /** Which encounters expose: attenuation-weighted minutes. */
  proximity: ProximityPolicy;
  lookbackMs: number;
  hopProbability: number;
  minNotifyProbability: number;
  /** How long before symptom onset an index case is taken to be infectious. */
  infectiousBeforeOnsetMs: number;
  /** How long after reporting an index case is still taken to be infectious. */
  infectiousAfterReportMs: number;
  /** When a token looks relayed or replayed: its window's sightings then warn nobody. */
  relay: RelayRules;
}

// Products like (1/3)^2 come out a hair under 1/9; compare with a tolerance so the policy
// behaves as officials read it.
const PROBABILITY_EPSILON = 1e-9;

export function probabilityAtDegree(policy: Pick<ExposurePolicy, 'hopProbability'>, degree: number): number {
  return policy.hopProbability ** degree;
}

export function isNotifiable(policy: Pick<ExposurePolicy, 'hopProbability' | 'minNotifyProbability'>, degree: number): boolean {
  return degree >= 1 && probabilityAtDegree(policy, degree) + PROBABILITY_EPSILON >= policy.minNotifyProbability;
}

/** The deepest degree that is still notified (0 when nobody would be). */
export function maxNotifiedDegree(policy: Pick<ExposurePolicy, 'hopProbability' | 'minNotifyProbability'>): number {
  if (!(policy.hopProbability > 0 && policy.hopProbability < 1)) {
    throw new RangeError('hopProbability must be strictly between 0 and 1');
  }
  let degree = 0;
  while (isNotifiable(policy, degree + 1)) degree++;
  return degree;
}

/** When an index case became infectious, given what it reported. */
export function infectiousFrom(policy: ExposurePolicy, reportedAt: Date, symptomOnset: Date | undefined): Date {
  const lookbackStart = reportedAt.getTime() - policy.lookbackMs;
  const fromOnset = symptomOnset ? symptomOnset.getTime() - policy.infectiousBeforeOnsetMs : lookbackStart;
  return new Date(Math.max(lookbackStart, fromOnset));
}
