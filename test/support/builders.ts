import { contactId, type Contact } from '../../backend/src/domain/contacts/contact.js';
import type { ExposurePolicy } from '../../backend/src/domain/exposure/exposure-policy.js';
import type { Exposure } from '../../backend/src/domain/exposure/exposure.js';
import { TokenKeySet } from '../../backend/src/domain/tokens/token-keys.js';

export const MIN = 60_000;
export const DAY = 86_400_000;
/** A fixed "now" for tests: Monday 2026-11-23 12:00 UTC. */
export const NOW = new Date('2026-11-23T12:00:00Z');
export const minutesBefore = (minutes: number, from: Date = NOW) => new Date(from.getTime() - minutes * MIN);

export function defaultPolicy(overrides: Partial<ExposurePolicy> = {}): ExposurePolicy {
  return {
    minDurationMs: 15 * MIN,
    minRssi: -75,
    lookbackMs: 14 * DAY,
    hopProbability: 1 / 3,
    minNotifyProbability: 0.1,
    encounterGapMs: 5 * MIN,
    infectiousBeforeOnsetMs: 2 * DAY,
    infectiousAfterReportMs: 10 * DAY,
    ...overrides,
  };
}

/** A contact between `a` and `b` from `fromMinutesAgo` to `toMinutesAgo` before NOW. */
export function aContact(a: number, b: number, fromMinutesAgo: number, toMinutesAgo: number, extra: Partial<Contact> = {}): Contact {
  const [deviceLow, deviceHigh] = a < b ? [a, b] : [b, a];
  const windowStartMinute = Math.floor(minutesBefore(fromMinutesAgo).getTime() / MIN / 180) * 180;
  return {
    id: contactId(a, b, windowStartMinute),
    deviceLow,
    deviceHigh,
    windowStartMinute,
    firstSeen: minutesBefore(fromMinutesAgo),
    lastSeen: minutesBefore(toMinutesAgo),
    reportedByLow: a === deviceLow,
    reportedByHigh: a === deviceHigh,
    ...extra,
  };
}

export function anExposure(device: number, degree: number, exposedMinutesAgo: number, caseId = 'case-1'): Exposure {
  return { caseId, device, degree, exposedAt: minutesBefore(exposedMinutesAgo) };
}

export function aKeySet(...ids: number[]): TokenKeySet {
  return new TokenKeySet((ids.length ? ids : [1]).map((id) => ({ id, secret: Buffer.alloc(32, id) })));
}
