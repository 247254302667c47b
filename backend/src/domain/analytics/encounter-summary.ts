import type { SightingInterval } from '../contacts/sighting-interval.js';
import { encountersOf } from '../exposure/encounter.js';
import { BUCKETS, type ProximityPolicy } from '../exposure/proximity-policy.js';
import { MS_PER_DAY } from '../time.js';
import type { DurationBucket, EncounterRecord } from './records.js';

export type PairDaySummary = Omit<EncounterRecord, 'id' | 'deviceLow' | 'deviceHigh' | 'week' | 'region'>;

const DURATION_LIMITS: readonly [number, DurationBucket][] = [
  [5, '<5'],
  [15, '5-15'],
  [30, '15-30'],
  [60, '30-60'],
];

/**
 * One pair's time together on one UTC day, from every sighting interval of the pair (both sides,
 * every token window), measured by the exposure model's own rules (domain/exposure/encounter.ts):
 * observed minutes, weighted minutes, minutes per attenuation bucket, and whether an encounter
 * reached the exposure threshold. Undefined when they did not meet that day.
 */
export function pairDaySummary(intervals: readonly SightingInterval[], policy: ProximityPolicy, day: number): PairDaySummary | undefined {
  const encounters = encountersOf(intervals, policy, day, day + MS_PER_DAY);
  if (encounters.length === 0) return undefined;
  const byBucket = [0, 0, 0, 0, 0];
  let weightedMinutes = 0;
  for (const e of encounters) {
    e.minutesByBucket.forEach((m, b) => (byBucket[b]! += m));
    weightedMinutes += e.weightedMinutes;
  }
  const minutes = byBucket.reduce((a, b) => a + b, 0);
  const dominant = byBucket.indexOf(Math.max(...byBucket));
  return {
    day,
    encounters: encounters.length,
    minutes: round(minutes),
    weightedMinutes: round(weightedMinutes),
    minutesImmediate: round(byBucket[0]!),
    minutesNear: round(byBucket[1]!),
    minutesMedium: round(byBucket[2]!),
    minutesOther: round(byBucket[3]!),
    minutesUnknown: round(byBucket[4]!),
    durationBucket: DURATION_LIMITS.find(([limit]) => minutes < limit)?.[1] ?? '>=60',
    proximity: BUCKETS[dominant]!,
    // The same tolerance as firstQualifyingEncounter: 15 minutes at weight 1 reads as 15.
    qualifying: encounters.some((e) => e.weightedMinutes + 1e-9 >= policy.minWeightedMinutes),
  };
}

function round(minutes: number): number {
  return Math.round(minutes * 100) / 100;
}
