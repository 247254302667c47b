import type { Contact } from '../contacts/contact.js';
import { otherDevice } from '../contacts/contact.js';
import type { DeviceNumber } from '../device.js';

/** A continuous stretch of time two devices spent near each other, possibly over several token windows. */
export interface Encounter {
  other: DeviceNumber;
  firstSeen: Date;
  lastSeen: Date;
  maxRssi?: number | undefined;
}

/**
 * Groups `device`'s contacts by the other device and joins records whose time ranges overlap
 * or are at most `gapMs` apart, so an encounter across a token rotation is one encounter.
 */
export function encountersOf(device: DeviceNumber, contacts: Iterable<Contact>, gapMs: number): Encounter[] {
  const byOther = new Map<DeviceNumber, Contact[]>();
  for (const contact of contacts) {
    if (contact.deviceLow !== device && contact.deviceHigh !== device) continue;
    const other = otherDevice(contact, device);
    const list = byOther.get(other);
    if (list) list.push(contact);
    else byOther.set(other, [contact]);
  }

  const encounters: Encounter[] = [];
  for (const [other, list] of byOther) {
    list.sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
    let current: Encounter | undefined;
    for (const contact of list) {
      if (current && contact.firstSeen.getTime() - current.lastSeen.getTime() <= gapMs) {
        if (contact.lastSeen > current.lastSeen) current.lastSeen = contact.lastSeen;
        current.maxRssi = maxDefined(current.maxRssi, contact.maxRssi);
      } else {
        current = { other, firstSeen: contact.firstSeen, lastSeen: contact.lastSeen, maxRssi: contact.maxRssi };
        encounters.push(current);
      }
    }
  }
  return encounters;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
