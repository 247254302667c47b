import type { SightingInterval } from '../domain/contacts/sighting-interval.js';

/**
 * How the stores keep a contact's intervals: one small array per interval,
 * [side (0 = heard by the low device, 1 = by the high one), start, end, sightings, rssi, rssiMax, txPower],
 * times in epoch ms and absent signals as null. Compact in SQLite text and in search documents,
 * where the intervals are stored but not indexed.
 */
export type EncodedInterval = [0 | 1, number, number, number, number | null, number | null, number | null];

export function encodeIntervals(intervals: readonly SightingInterval[]): EncodedInterval[] {
  return intervals.map((i) => [i.heardBy === 'low' ? 0 : 1, i.start, i.end, i.sightings, i.rssi ?? null, i.rssiMax ?? null, i.txPower ?? null]);
}

export function decodeIntervals(encoded: readonly EncodedInterval[]): SightingInterval[] {
  return encoded.map(([side, start, end, sightings, rssi, rssiMax, txPower]) => ({
    heardBy: side === 0 ? 'low' : 'high',
    start,
    end,
    sightings,
    rssi: rssi ?? undefined,
    rssiMax: rssiMax ?? undefined,
    txPower: txPower ?? undefined,
  }));
}
