import { describe, expect, it } from 'vitest';
import type { ContactStore } from '../../../backend/src/ports/contact-store.js';
import { aContact, minutesBefore } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

/** The ContactStore contract: every adapter (SQLite, search engines) must pass it unchanged. */
export function describeContactStoreContract(name: string, make: () => Promise<AdapterHarness<ContactStore>>): void {
  describe(`ContactStore contract: ${name}`, () => {
    let store: ContactStore;
    useFreshAdapter(make, (adapter) => (store = adapter));

    it('applies a batch once per key, however often it is delivered', async () => {
      const batch = { batchKey: 'r1:b1', contacts: [aContact(1, 2, 30, 10)], observationCount: 3 };
      expect(await store.applyBatch(batch)).toEqual({ alreadyApplied: false });
      expect(await store.applyBatch(batch)).toEqual({ alreadyApplied: true });
      expect(await store.stats()).toEqual({ contacts: 1, batchesApplied: 1, observationsApplied: 3 });
    });

    it('merges the two sides of a contact the way the domain merges them', async () => {
      const fromLow = aContact(1, 2, 30, 20, { maxRssi: -80, location: { lat: 52.5, lon: 13.4 } });
      const fromHigh = { ...aContact(2, 1, 25, 5, { maxRssi: -60 }), id: fromLow.id, windowStartMinute: fromLow.windowStartMinute };
      await store.applyBatch({ batchKey: 'a', contacts: [fromLow], observationCount: 1 });
      await store.applyBatch({ batchKey: 'b', contacts: [fromHigh], observationCount: 1 });
      expect(await store.contactsBetween(2, 1)).toEqual([
        {
          ...fromLow,
          firstSeen: minutesBefore(30),
          lastSeen: minutesBefore(5),
          reportedByLow: true,
          reportedByHigh: true,
          maxRssi: -60,
          location: { lat: 52.5, lon: 13.4 },
        },
      ]);
    });

    it('finds the contacts of several devices still going on after a time', async () => {
      await store.applyBatch({
        batchKey: 'x',
        contacts: [aContact(1, 2, 60, 50), aContact(3, 1, 30, 20), aContact(4, 5, 30, 20), aContact(2, 6, 10, 5)],
        observationCount: 4,
      });
      const found = await store.contactsOf([1, 6], minutesBefore(55));
      expect(found.map((c) => [c.deviceLow, c.deviceHigh]).sort()).toEqual([
        [1, 2],
        [1, 3],
        [2, 6],
      ]);
      expect(await store.contactsOf([1], minutesBefore(15))).toEqual([]);
      expect(await store.contactsOf([], minutesBefore(100))).toEqual([]);
    });

    it('erases every contact of a device and purges old ones', async () => {
      await store.applyBatch({
        batchKey: 'y',
        contacts: [aContact(1, 2, 60, 50), aContact(3, 1, 30, 20), aContact(4, 5, 30, 20), aContact(6, 7, 3000, 2990)],
        observationCount: 4,
      });
      expect(await store.deleteFor(1)).toBe(2);
      expect(await store.purgeOlderThan(minutesBefore(1000))).toBe(1);
      expect((await store.stats()).contacts).toBe(1);
    });
  });
}
