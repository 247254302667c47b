import type { DeviceNumber } from '../device.js';
import type { GeoPoint, ResolvedObservation } from './observation.js';

/**
 * One contact: a pair of devices near each other during one token window, however many
 * times and by whichever side it was seen. Its id depends only on the pair and the window,
 * and merging is commutative and idempotent, so redelivered or two-sided reports converge
 * on the same record.
 */
export interface Contact {
  id: string;
  deviceLow: DeviceNumber;
  deviceHigh: DeviceNumber;
  windowStartMinute: number;
  firstSeen: Date;
  lastSeen: Date;
  reportedByLow: boolean;
  reportedByHigh: boolean;
  /** Strongest RSSI either side measured, if any did. */
  maxRssi?: number | undefined;
  location?: GeoPoint | undefined;
}

export function contactId(a: DeviceNumber, b: DeviceNumber, windowStartMinute: number): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return `${low.toString(36)}-${high.toString(36)}-${windowStartMinute.toString(36)}`;
}

export function contactFromObservation(observation: ResolvedObservation): Contact {
  const { reporter, advertiser } = observation;
  const [deviceLow, deviceHigh] = reporter < advertiser ? [reporter, advertiser] : [advertiser, reporter];
  return {
    id: contactId(reporter, advertiser, observation.windowStartMinute),
    deviceLow,
    deviceHigh,
    windowStartMinute: observation.windowStartMinute,
    firstSeen: observation.firstSeen,
    lastSeen: observation.lastSeen,
    reportedByLow: reporter === deviceLow,
    reportedByHigh: reporter === deviceHigh,
    maxRssi: observation.rssi,
    location: observation.location,
  };
}

/** Merges two records of the same contact. */
export function mergeContacts(a: Contact, b: Contact): Contact {
  if (a.id !== b.id) throw new Error(`cannot merge contacts ${a.id} and ${b.id}`);
  return {
    ...a,
    firstSeen: a.firstSeen <= b.firstSeen ? a.firstSeen : b.firstSeen,
    lastSeen: a.lastSeen >= b.lastSeen ? a.lastSeen : b.lastSeen,
    reportedByLow: a.reportedByLow || b.reportedByLow,
    reportedByHigh: a.reportedByHigh || b.reportedByHigh,
    maxRssi: maxDefined(a.maxRssi, b.maxRssi),
    location: a.location ?? b.location,
  };
}

/** Folds resolved observations into one contact per pair and window. */
export function contactsFromObservations(observations: Iterable<ResolvedObservation>): Contact[] {
  const byId = new Map<string, Contact>();
  for (const observation of observations) {
    const contact = contactFromObservation(observation);
    const existing = byId.get(contact.id);
    byId.set(contact.id, existing ? mergeContacts(existing, contact) : contact);
  }
  return [...byId.values()];
}

export function otherDevice(contact: Pick<Contact, 'deviceLow' | 'deviceHigh'>, device: DeviceNumber): DeviceNumber {
  return contact.deviceLow === device ? contact.deviceHigh : contact.deviceLow;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
