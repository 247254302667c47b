import type { Contact } from '../../domain/contacts/contact.js';
import { contactSpan } from '../../domain/contacts/contact.js';
import type { GeoPoint } from '../../domain/contacts/observation.js';
import type { DeviceNumber } from '../../domain/device.js';
import { mostFrequentRegion, type RegionId, type RegionScheme } from '../../domain/analytics/regions.js';
import { MS_PER_DAY } from '../../domain/time.js';
import type { ContactStore } from '../../ports/contact-store.js';
import { chunks } from './analytics-job.js';

/** A person's recent whereabouts: the week of contacts before an event (their reported places). */
export const WHEREABOUTS_MS = 7 * MS_PER_DAY;

interface Place {
  start: number;
  end: number;
  location: GeoPoint;
}

/**
 * Whether the contact store still holds every contact of the week before `time`: the region of
 * an event derived now is then the one derived when it happened. Once it does not, a re-derived
 * record keeps the region it was given (the contacts are gone, not the person's whereabouts).
 */
export function whereaboutsHeld(time: number, now: number, contactsRetentionMs: number): boolean {
  return time - WHEREABOUTS_MS >= now - contactsRetentionMs;
}

/** The located contacts of some devices since a time, read once, for their regions and contacts. */
export class DeviceContacts {
  private constructor(readonly byDevice: Map<DeviceNumber, Contact[]>) {}

  static async load(store: ContactStore, devices: readonly DeviceNumber[], since: Date): Promise<DeviceContacts> {
    const byDevice = new Map<DeviceNumber, Contact[]>(devices.map((d) => [d, []]));
    for (const chunk of chunks([...new Set(devices)])) {
      for (const c of await store.contactsOf(chunk, since)) {
        byDevice.get(c.deviceLow)?.push(c);
        if (c.deviceHigh !== c.deviceLow) byDevice.get(c.deviceHigh)?.push(c);
      }
    }
    return new DeviceContacts(byDevice);
  }

  of(device: DeviceNumber): Contact[] {
    return this.byDevice.get(device) ?? [];
  }

  /** The region the device was in most during the week before `time`. */
  regionBefore(device: DeviceNumber, time: number, scheme: RegionScheme): RegionId {
    const places: Place[] = this.of(device).flatMap((c) => (c.location ? [{ ...spanOf(c), location: c.location }] : []));
    return mostFrequentRegion(places.filter((p) => p.end >= time - WHEREABOUTS_MS && p.start <= time).map((p) => p.location), scheme);
  }
}

function spanOf(c: Contact): { start: number; end: number } {
  const { firstSeen, lastSeen } = contactSpan(c);
  return { start: firstSeen, end: lastSeen };
}
