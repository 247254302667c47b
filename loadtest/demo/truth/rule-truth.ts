import type { SightingInterval } from '../../../backend/src/domain/contacts/sighting-interval.js';
import { exposureCausedBy } from '../../../backend/src/domain/exposure/exposure.js';
import { infectiousFrom, isNotifiable, type ExposurePolicy } from '../../../backend/src/domain/exposure/exposure-policy.js';
import { addToFront, warningState, type ExposureState } from '../../../backend/src/domain/exposure/exposure-state.js';
import type { CoStay } from '../town/co-presence.js';
import { MINUTE_MS, trueRssi, type Town } from '../town/town-model.js';

/**
 * How far a measured signal may stray from the truth before the truth calls an encounter
 * borderline: a receiver's noise (σ = 2 dB per sighting, less on a mean) and the stores' whole
 * dBm. Within it the measurement decides, and either answer is right.
 */
export const SIGNAL_TOLERANCE_DB = 2;

/** Who must, and who may, be warned for one case, by the exposure rules applied to what really happened. */
export interface CaseTruth {
  /** Index of the case in `town.cases`. */
  caseIndex: number;
  person: number;
  /** Warned even if every signal read 2 dB weaker: person → degree (the highest that chain allows). */
  mustWarn: Map<number, number>;
  /** Warned if every signal read 2 dB stronger: person → degree (the lowest possible). */
  mayWarn: Map<number, number>;
  /** Warned at the true signal: person → degree. */
  exact: Map<number, number>;
}

/**
 * The simulator's ground truth of the exposure rules: the town's real proximity (who stood how far
 * from whom, minute by minute, without the air's noise) run through the domain's own definition of
 * a qualifying encounter and of chains (exposureCausedBy, Pareto fronts, the lowest degree).
 * Only people who carry a device can be warned, or pass a warning on.
 */
export function ruleTruth(town: Town, together: readonly CoStay[], policy: ExposurePolicy): CaseTruth[] {
  const carries = (p: number) => town.people[p]!.carries !== 'none';
  const pairs = new Map<number, Map<number, CoStay[]>>();
  for (const s of together) {
    if (!carries(s.a) || !carries(s.b)) continue;
    for (const [x, y] of [
      [s.a, s.b],
      [s.b, s.a],
    ] as const) {
      const partners = pairs.get(x) ?? new Map<number, CoStay[]>();
      partners.set(y, [...(partners.get(y) ?? []), s]);
      pairs.set(x, partners);
    }
  }
  const now = new Date(town.start + town.minutes * MINUTE_MS);
  return town.cases.map((c, caseIndex) => {
    const run = (shiftDb: number) => warnedByChains(town, pairs, policy, now, c, `case-${caseIndex}`, shiftDb);
    return { caseIndex, person: c.person, mustWarn: run(-SIGNAL_TOLERANCE_DB), exact: run(0), mayWarn: run(SIGNAL_TOLERANCE_DB) };
  });
}

function warnedByChains(
  town: Town,
  pairs: Map<number, Map<number, CoStay[]>>,
  policy: ExposurePolicy,
  now: Date,
  c: Town['cases'][number],
  caseId: string,
  shiftDb: number,
): Map<number, number> {
  const reportedAt = new Date(town.start + c.reportAt * MINUTE_MS);
  const index: ExposureState = {
    caseId,
    device: c.person,
    degree: 0,
    exposedAt: infectiousFrom(policy, reportedAt, new Date(town.start + c.onsetAt * MINUTE_MS)).getTime(),
    until: reportedAt.getTime() + policy.infectiousAfterReportMs,
  };
  const fronts = new Map<number, ExposureState[]>([[c.person, [index]]]);
  const queue: ExposureState[] = [index];
  const intervalCache = new Map<string, SightingInterval[]>();
  while (queue.length > 0) {
    const state = queue.shift()!;
    for (const [other, stays] of pairs.get(state.device) ?? []) {
      const key = `${Math.min(state.device, other)}:${Math.max(state.device, other)}`;
      let intervals = intervalCache.get(key);
      if (!intervals) intervalCache.set(key, (intervals = stays.map((s) => intervalOf(town, s, shiftDb))));
      const caused = exposureCausedBy(state, other, intervals, policy, now);
      if (!caused) continue;
      const front = addToFront(fronts.get(other) ?? [], caused.state);
      if (!front) continue;
      fronts.set(other, front);
      queue.push(caused.state);
    }
  }
  const warned = new Map<number, number>();
  for (const [person, front] of fronts) {
    const best = warningState(front);
    if (person !== c.person && best && isNotifiable(policy, best.degree)) warned.set(person, best.degree);
  }
  return warned;
}

/** A co-stay as the sighting interval a perfect receiver would report: first to last minute, the true signal. */
function intervalOf(town: Town, s: CoStay, shiftDb: number): SightingInterval {
  return {
    heardBy: 'low',
    start: town.start + s.from * MINUTE_MS,
    end: town.start + (s.to - 1) * MINUTE_MS,
    sightings: s.to - s.from,
    rssi: trueRssi(town.air, s.distanceM) + shiftDb,
    txPower: town.air.txPowerDbm,
  };
}
