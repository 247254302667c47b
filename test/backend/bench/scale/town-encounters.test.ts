import { describe, expect, it } from 'vitest';
import { contactsFromObservations } from '../../../../backend/src/domain/contacts/contact.js';
import { encounterContact, encounterObservations, meet, townBatches, townEncounterCount, type TownOptions } from '../../../../backend/bench/scale/town-encounters.js';
import { Random } from '../../../../loadtest/demo/town/random.js';

const DAY = 86_400_000;
const until = new Date('2026-06-10T00:00:00Z');
const devices = Array.from({ length: 30 }, (_, i) => 1_000_003 * (i + 1) + i * 2 ** 40);
const town: TownOptions = { devices, days: 3, until, windowMinutes: 180, encountersPerDevicePerDay: 50, activeHours: { from: 8, to: 20 }, seed: 7 };
const batches = [...townBatches(town)];
const contacts = batches.flatMap((b) => b.contacts);

describe('bench:scale town: the design population’s days of contacts', () => {
  it('has each device meet 50 others a day, both sides reporting: half the observations are duplicates', () => {
    expect(townEncounterCount(town)).toBe(30 * 50 * 3);
    expect(contacts).toHaveLength(4500);
    expect(batches.reduce((n, b) => n + b.observationCount, 0)).toBe(2 * 4500);
    for (const c of contacts) expect(c.intervals.map((i) => i.heardBy)).toEqual(['low', 'high']);
    const appearances = new Map<number, number>();
    for (const c of contacts) for (const d of [c.deviceLow, c.deviceHigh]) appearances.set(d, (appearances.get(d) ?? 0) + 1);
    expect([...appearances.keys()].sort()).toEqual([...devices].sort());
    // Each contact involves two devices: 100 a device and day on average.
    expect([...appearances.values()].reduce((a, b) => a + b, 0) / (30 * 3)).toBe(100);
  });

  it('comes in id order, so the store is appended to, in batches of at most 50 observations applied after their encounters', () => {
    const ids = contacts.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect(batches.every((b) => b.observationCount === 2 * b.contacts.length && b.contacts.length <= 25)).toBe(true);
    // Each device's last batch may be short: at 30 devices and 3 days, about one in seven.
    expect(batches.filter((b) => b.observationCount === 50).length / batches.length).toBeGreaterThan(0.8);
    for (const b of batches) for (const c of b.contacts) expect(b.appliedAt.getTime()).toBeGreaterThanOrEqual(c.intervals[0]!.end);
  });

  it('draws partners uniformly: every device meets about as many others as the rest', () => {
    const appearances = new Map<number, number>();
    for (const c of contacts) for (const d of [c.deviceLow, c.deviceHigh]) appearances.set(d, (appearances.get(d) ?? 0) + 1);
    // 300 each on average (100 a day for 3 days); binomial spread around it.
    for (const n of appearances.values()) expect(n).toBeGreaterThan(200), expect(n).toBeLessThan(400);
  });

  it('lies within the days, the active hours and each token window', () => {
    for (const c of contacts) {
      const [low] = c.intervals;
      const windowStart = c.windowStartMinute * 60_000;
      expect(c.windowStartMinute % 180).toBe(0);
      expect(low!.start).toBeGreaterThanOrEqual(Math.max(until.getTime() - 3 * DAY, windowStart));
      expect(low!.end).toBeLessThan(Math.min(until.getTime(), windowStart + 180 * 60_000));
      expect(low!.end).toBeGreaterThan(low!.start);
      expect(new Date(low!.start).getUTCHours()).toBeGreaterThanOrEqual(8);
      expect(new Date(low!.start).getUTCHours()).toBeLessThan(20);
      expect(c.deviceLow).toBeLessThan(c.deviceHigh);
    }
  });

  it('mixes passers-by with long stays: some encounters last long enough to expose', () => {
    const minutes = contacts.map((c) => (c.intervals[0]!.end - c.intervals[0]!.start) / 60_000);
    const long = minutes.filter((m) => m >= 15).length / minutes.length;
    expect(long).toBeGreaterThan(0.1);
    expect(long).toBeLessThan(0.2);
    expect(minutes.filter((m) => m < 5).length / minutes.length).toBeGreaterThan(0.5);
  });

  it('stores for an encounter the very contact the domain folds from its two uploads', () => {
    const random = Random.stream(3, 'equality');
    for (let i = 0; i < 500; i++) {
      const encounter = meet(random, devices, until.getTime() - DAY + 10 * 3_600_000, 180);
      expect(contactsFromObservations(encounterObservations(encounter))).toEqual([encounterContact(encounter)]);
    }
  });

  it('is the same town for the same seed, another for another', () => {
    const ids = (seed: number) => [...townBatches({ ...town, seed })].flatMap((b) => b.contacts.map((c) => c.id));
    expect(ids(7)).toEqual(contacts.map((c) => c.id));
    expect(ids(8)).not.toEqual(ids(7));
  });
});
