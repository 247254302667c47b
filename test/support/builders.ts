import { contactId, type Contact } from '../../backend/src/domain/contacts/contact.js';
import type { SightingInterval } from '../../backend/src/domain/contacts/sighting-interval.js';
import type { ExposurePolicy } from '../../backend/src/domain/exposure/exposure-policy.js';
import type { ExposureState } from '../../backend/src/domain/exposure/exposure-state.js';
import type { ProximityPolicy } from '../../backend/src/domain/exposure/proximity-policy.js';
import { TokenKeySet } from '../../backend/src/domain/tokens/token-keys.js';

export const MIN = 60_000;
export const DAY = 86_400_000;
/**
 * A fixed "now" for tests whose whole world runs on an injected clock: Monday 2026-11-23 12:00 UTC,
 * a token window boundary. Tests that talk to something on the real clock use real dates instead.
 */
export const NOW = new Date('2026-11-23T12:00:00Z');
export const minutesBefore = (minutes: number, from: Date = NOW) => new Date(from.getTime() - minutes * MIN);
export const msBefore = (minutes: number, from: Date = NOW) => from.getTime() - minutes * MIN;

/** The default proximity policy, its weights made simple: one minute at "near" range is one weighted minute. */
export function defaultProximity(overrides: Partial<ProximityPolicy> = {}): ProximityPolicy {
  return {
    attenuationThresholdsDb: [55, 65, 75],
    bucketWeights: [1.5, 1, 0.5, 0],
    unknownSignalWeight: 1,
    defaultTxPowerDbm: 0,
    rssiCorrectionDb: 0,
    minWeightedMinutes: 15,
    encounterGapMs: 5 * MIN,
    ...overrides,
  };
}

export function defaultPolicy(overrides: Partial<ExposurePolicy> = {}): ExposurePolicy {
  return {
    proximity: defaultProximity(),
    lookbackMs: 14 * DAY,
    hopProbability: 1 / 3,
    minNotifyProbability: 0.1,
    infectiousBeforeOnsetMs: 2 * DAY,
    infectiousAfterReportMs: 10 * DAY,
    relay: { maxReportersPerWindow: 300, maxSpeedKmh: 300, slackKm: 0.5 },
    ...overrides,
  };
}

/** RSSI that puts a sighting in the "near" bucket of the default policy (weight 1). */
export const NEAR = -60;

/** One interval heard by `heardBy` from `fromMinutesAgo` to `toMinutesAgo` before NOW. */
export function anInterval(heardBy: 'low' | 'high', fromMinutesAgo: number, toMinutesAgo: number, extra: Partial<SightingInterval> = {}): SightingInterval {
  return { heardBy, start: msBefore(fromMinutesAgo), end: msBefore(toMinutesAgo), sightings: 10, rssi: NEAR, rssiMax: NEAR, ...extra };
}

/**
 * A contact between `a` and `b`, as `a` reported it, from `fromMinutesAgo` to `toMinutesAgo`
 * before NOW at "near" range, in the 3-hour window containing its start.
 */
export function aContact(a: number, b: number, fromMinutesAgo: number, toMinutesAgo: number, extra: Partial<SightingInterval> = {}): Contact {
  const [deviceLow, deviceHigh] = a < b ? [a, b] : [b, a];
  const windowStartMinute = Math.floor(msBefore(fromMinutesAgo) / MIN / 180) * 180;
  return {
    id: contactId(a, b, windowStartMinute),
    deviceLow,
    deviceHigh,
    windowStartMinute,
    intervals: [anInterval(a === deviceLow ? 'low' : 'high', fromMinutesAgo, toMinutesAgo, extra)],
  };
}

export function aState(device: number, degree: number, exposedMinutesAgo: number, caseId = 'case-1', until?: number): ExposureState {
  return { caseId, device, degree, exposedAt: msBefore(exposedMinutesAgo), until };
}

export function aKeySet(...ids: number[]): TokenKeySet {
  return new TokenKeySet((ids.length ? ids : [1]).map((id) => ({ id, secret: Buffer.alloc(32, id) })));
}
