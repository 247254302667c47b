import type { Contact } from '../contacts/contact.js';
import type { DeviceNumber } from '../device.js';

/**
 * Relaying or replaying a token (recording an infectious person's advertisement and playing it
 * back elsewhere) would make strangers "meet" that person. Two signs give it away within one token
 * window: more distinct devices heard the token than any one place holds, or two of them heard it
 * at nearly the same time at places too far apart for one phone.
 */
export interface RelayRules {
  /** Distinct devices that may hear one token in one window before it is suspect. */
  maxReportersPerWindow: number;
  /** The fastest a phone is taken to travel, km/h. */
  maxSpeedKmh: number;
  /** Distance that needs no travel: two Bluetooth ranges and the ~110 m rounding of reported locations, km. */
  slackKm: number;
}

export type RelayReason = 'too_many_reporters' | 'impossible_travel';

export interface RelayedWindow {
  windowStartMinute: number;
  reason: RelayReason;
  /** Distinct devices that heard the token in the window. */
  reporters: number;
}

const MS_PER_HOUR = 3_600_000;

/**
 * The windows in which `advertiser`'s token looks relayed, judged from the contacts in which other
 * devices heard it (each contact is one other device; its location is where that device was).
 */
export function relayedWindows(advertiser: DeviceNumber, contacts: readonly Contact[], rules: RelayRules): RelayedWindow[] {
  const heardBy = new Map<number, { other: DeviceNumber; start: number; end: number; location?: Contact['location'] }[]>();
  for (const c of contacts) {
    if (c.deviceLow !== advertiser && c.deviceHigh !== advertiser) continue;
    const otherSide = c.deviceLow === advertiser ? 'high' : 'low';
    const heard = c.intervals.filter((i) => i.heardBy === otherSide);
    if (heard.length === 0) continue;
    const list = heardBy.get(c.windowStartMinute) ?? [];
    list.push({
      other: c.deviceLow === advertiser ? c.deviceHigh : c.deviceLow,
      start: Math.min(...heard.map((i) => i.start)),
      end: Math.max(...heard.map((i) => i.end)),
      location: c.location,
    });
    heardBy.set(c.windowStartMinute, list);
  }
  const flagged: RelayedWindow[] = [];
  for (const [windowStartMinute, sightings] of heardBy) {
    const reporters = new Set(sightings.map((s) => s.other)).size;
    if (reporters > rules.maxReportersPerWindow) {
      flagged.push({ windowStartMinute, reason: 'too_many_reporters', reporters });
    } else if (impossibleTravel(sightings, rules)) {
      flagged.push({ windowStartMinute, reason: 'impossible_travel', reporters });
    }
  }
  return flagged.sort((a, b) => a.windowStartMinute - b.windowStartMinute);
}

function impossibleTravel(sightings: readonly { start: number; end: number; location?: Contact['location'] }[], rules: RelayRules): boolean {
  const located = sightings.filter((s) => s.location);
  for (let i = 0; i < located.length; i++) {
    for (let j = i + 1; j < located.length; j++) {
      const a = located[i]!;
      const b = located[j]!;
      const apartMs = Math.max(0, Math.max(a.start, b.start) - Math.min(a.end, b.end));
      const reachableKm = rules.slackKm + (rules.maxSpeedKmh * apartMs) / MS_PER_HOUR;
      if (distanceKm(a.location!, b.location!) > reachableKm) return true;
    }
  }
  return false;
}

/** Great-circle distance (haversine), km. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
