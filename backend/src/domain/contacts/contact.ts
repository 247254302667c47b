import type { DeviceNumber } from '../device.js';
import type { GeoPoint, ResolvedObservation } from './observation.js';
import { maxDefined, mergeIntervalSets, normalizeIntervals, type SightingInterval } from './sighting-interval.js';

/**
 * One contact: a pair of devices near each other during one token window, with the separate
 * intervals in which either side heard the other. Its id depends only on the pair and the window,
 * and merging is commutative, associative and idempotent, so redelivered or two-sided reports
 * converge on the same record.
 */
export interface Contact {
  id: string;
  deviceLow: DeviceNumber;
  deviceHigh: DeviceNumber;
  windowStartMinute: number;
  /** Canonical (see normalizeIntervals), never empty. */
  intervals: SightingInterval[];
  location?: GeoPoint | undefined;
}

export function contactId(a: DeviceNumber, b: DeviceNumber, windowStartMinute: number): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return `${low.toString(36)}-${high.toString(36)}-${windowStartMinute.toString(36)}`;
}

export function contactFromObservation(observation: ResolvedObservation): Contact {
  const { reporter, advertiser } = observation;
  const [deviceLow, deviceHigh] = reporter < advertiser ? [reporter, advertiser] : [advertiser, reporter];
  const start = observation.firstSeen.getTime();
  const end = observation.lastSeen.getTime();
  return {
    id: contactId(reporter, advertiser, observation.windowStartMinute),
    deviceLow,
    deviceHigh,
    windowStartMinute: observation.windowStartMinute,
    intervals: [
      {
        heardBy: reporter === deviceLow ? 'low' : 'high',
        start,
        end,
        // An old client reports no count: a first and a last sighting, or one.
        sightings: observation.sightings ?? (end > start ? 2 : 1),
        // Whole dBm: the stores keep integers, and a tenth of a dB is well below any receiver's precision.
        rssi: roundDefined(observation.rssiMean) ?? observation.rssi,
        rssiMax: observation.rssi ?? roundDefined(observation.rssiMean),
        txPower: observation.txPower,
      },
    ],
    location: observation.location,
  };
}

/** Merges two records of the same contact. */
export function mergeContacts(a: Contact, b: Contact): Contact {
  if (a.id !== b.id) throw new Error(`cannot merge contacts ${a.id} and ${b.id}`);
  return { ...a, intervals: mergeIntervalSets(a.intervals, b.intervals), location: firstLocation(a.location, b.location) };
}

/** Folds resolved observations into one contact per pair and window. */
export function contactsFromObservations(observations: Iterable<ResolvedObservation>): Contact[] {
  const byId = new Map<string, Contact>();
  for (const observation of observations) {
    const contact = contactFromObservation(observation);
    const existing = byId.get(contact.id);
    byId.set(contact.id, existing ? mergeContacts(existing, contact) : { ...contact, intervals: normalizeIntervals(contact.intervals) });
  }
  return [...byId.values()];
}

export function otherDevice(contact: Pick<Contact, 'deviceLow' | 'deviceHigh'>, device: DeviceNumber): DeviceNumber {
  return contact.deviceLow === device ? contact.deviceHigh : contact.deviceLow;
}

/** When the contact began and ended: the span of its intervals (for indexing; exposure uses the intervals). */
export function contactSpan(contact: Pick<Contact, 'intervals'>): { firstSeen: number; lastSeen: number } {
  let firstSeen = Infinity;
  let lastSeen = -Infinity;
  for (const i of contact.intervals) {
    if (i.start < firstSeen) firstSeen = i.start;
    if (i.end > lastSeen) lastSeen = i.end;
  }
  return { firstSeen, lastSeen };
}

export function reportedBy(contact: Pick<Contact, 'intervals'>, side: 'low' | 'high'): boolean {
  return contact.intervals.some((i) => i.heardBy === side);
}

export function strongestRssi(contact: Pick<Contact, 'intervals'>): number | undefined {
  return contact.intervals.reduce<number | undefined>((best, i) => maxDefined(best, i.rssiMax), undefined);
}

function roundDefined(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value);
}

/** Either report's location, chosen by value so that the merge does not depend on arrival order. */
function firstLocation(a: GeoPoint | undefined, b: GeoPoint | undefined): GeoPoint | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.lat < b.lat || (a.lat === b.lat && a.lon <= b.lon) ? a : b;
}
