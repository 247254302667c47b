import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contactsFromObservations, mergeContacts } from '../../../backend/src/domain/contacts/contact.js';
import type { ResolvedObservation } from '../../../backend/src/domain/contacts/observation.js';
import { MAX_INTERVALS_PER_SIDE, mergeIntervalSets, normalizeIntervals, type SightingInterval } from '../../../backend/src/domain/contacts/sighting-interval.js';
import { aContact, anInterval, minutesBefore, msBefore } from '../../support/builders.js';

const interval = fc
  .record({
    heardBy: fc.constantFrom('low' as const, 'high' as const),
    start: fc.integer({ min: 0, max: 180 }),
    length: fc.integer({ min: 0, max: 60 }),
    sightings: fc.integer({ min: 1, max: 500 }),
    rssi: fc.option(fc.integer({ min: -100, max: -30 }), { nil: undefined }),
    txPower: fc.option(fc.integer({ min: -20, max: 10 }), { nil: undefined }),
  })
  .map(({ heardBy, start, length, sightings, rssi, txPower }): SightingInterval => ({
    heardBy,
    start: start * 60_000,
    end: (start + length) * 60_000,
    sightings,
    rssi,
    rssiMax: rssi === undefined ? undefined : rssi + 5,
    txPower,
  }));
const intervals = fc.array(interval, { maxLength: 12 });

describe('sighting intervals of a contact', () => {
  it('keeps two meetings of a pair apart, however far apart they are', () => {
    const merged = normalizeIntervals([anInterval('low', 130, 120), anInterval('low', 10, 0)]);
    expect(merged.map((i) => [i.start, i.end])).toEqual([
      [msBefore(130), msBefore(120)],
      [msBefore(10), msBefore(0)],
    ]);
  });

  it("joins one side's overlapping sightings, and keeps the two sides' views apart", () => {
    const merged = normalizeIntervals([anInterval('low', 30, 10, { rssi: -70 }), anInterval('low', 20, 5, { rssi: -60, sightings: 3 }), anInterval('high', 25, 15)]);
    expect(merged).toEqual([
      { heardBy: 'low', start: msBefore(30), end: msBefore(5), sightings: 10, rssi: -60, rssiMax: -60, txPower: undefined },
      expect.objectContaining({ heardBy: 'high', start: msBefore(25), end: msBefore(15) }),
    ]);
  });

  it('merges commutatively, associatively and idempotently (generated sets)', () => {
    fc.assert(
      fc.property(intervals, intervals, intervals, (a, b, c) => {
        const [na, nb, nc] = [normalizeIntervals(a), normalizeIntervals(b), normalizeIntervals(c)];
        expect(mergeIntervalSets(na, nb)).toEqual(mergeIntervalSets(nb, na));
        expect(mergeIntervalSets(mergeIntervalSets(na, nb), nc)).toEqual(mergeIntervalSets(na, mergeIntervalSets(nb, nc)));
        expect(mergeIntervalSets(na, na)).toEqual(na);
        expect(normalizeIntervals(na)).toEqual(na);
      }),
      { seed: 9, numRuns: 500 },
    );
  });

  it('keeps at most the earliest intervals per side a misbehaving client can send', () => {
    const many = Array.from({ length: MAX_INTERVALS_PER_SIDE + 10 }, (_, i) => anInterval('low', 1000 - i * 10, 1000 - i * 10 - 1));
    const kept = normalizeIntervals(many);
    expect(kept).toHaveLength(MAX_INTERVALS_PER_SIDE);
    expect(kept[0]!.start).toBe(msBefore(1000));
  });
});

describe('contacts from observations', () => {
  const sighting = (reporter: number, advertiser: number, from: number, to: number, extra: Partial<ResolvedObservation> = {}): ResolvedObservation => ({
    reporter,
    advertiser,
    windowStartMinute: 100,
    firstSeen: minutesBefore(from),
    lastSeen: minutesBefore(to),
    ...extra,
  });

  it('folds both sides and repeated sightings of a pair in one window into one contact with their intervals', () => {
    const contacts = contactsFromObservations([sighting(1, 2, 30, 20, { rssi: -70 }), sighting(2, 1, 25, 5), sighting(1, 2, 40, 35, { rssi: -60 })]);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.intervals.map((i) => [i.heardBy, i.start, i.end, i.rssi])).toEqual([
      ['low', msBefore(40), msBefore(35), -60],
      ['low', msBefore(30), msBefore(20), -70],
      ['high', msBefore(25), msBefore(5), undefined],
    ]);
  });

  it('scores by the mean signal when the reporter sent it (API v1.1), by the strongest otherwise (API v1.0)', () => {
    const [newer] = contactsFromObservations([sighting(1, 2, 30, 0, { rssi: -50, rssiMean: -80, sightings: 120, txPower: -4 })]);
    expect(newer!.intervals[0]).toMatchObject({ rssi: -80, rssiMax: -50, sightings: 120, txPower: -4 });
    const [older] = contactsFromObservations([sighting(1, 2, 30, 0, { rssi: -50 })]);
    expect(older!.intervals[0]).toMatchObject({ rssi: -50, rssiMax: -50, sightings: 2 });
  });

  it('keeps different windows and different pairs apart', () => {
    const other = { ...sighting(1, 2, 30, 20), windowStartMinute: 280 };
    expect(contactsFromObservations([sighting(1, 2, 30, 20), other, sighting(1, 3, 30, 20)])).toHaveLength(3);
  });

  it('merges records commutatively and idempotently, locations included', () => {
    const a = { ...aContact(1, 2, 30, 20), location: { lat: 52.5, lon: 13.4 } };
    const b = { ...aContact(2, 1, 25, 10), id: a.id, location: { lat: 48.1, lon: 11.6 } };
    expect(mergeContacts(a, b)).toEqual(mergeContacts(b, a));
    expect(mergeContacts(mergeContacts(a, b), b)).toEqual(mergeContacts(a, b));
  });
});
