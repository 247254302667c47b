import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contactId, mergeContacts, type Contact } from '../../../backend/src/domain/contacts/contact.js';
import { normalizeIntervals, type SightingInterval } from '../../../backend/src/domain/contacts/sighting-interval.js';
import type { ContactStore } from '../../../backend/src/ports/contact-store.js';
import { aContact, minutesBefore, msBefore, NOW } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const batch = (batchKey: string, contacts: Contact[], reporter = 1, observationCount = contacts.length) => ({ batchKey, reporter, contacts, observationCount });

/** Generated records of one contact (devices 1 and 2, one window), as different reports would carry them. */
const records = (() => {
  const interval = fc
    .record({
      heardBy: fc.constantFrom('low' as const, 'high' as const),
      from: fc.integer({ min: 0, max: 170 }),
      length: fc.integer({ min: 0, max: 40 }),
      sightings: fc.integer({ min: 1, max: 99 }),
      rssi: fc.option(fc.integer({ min: -99, max: -30 }), { nil: undefined }),
      txPower: fc.option(fc.integer({ min: -20, max: 8 }), { nil: undefined }),
    })
    .map(({ heardBy, from, length, sightings, rssi, txPower }): SightingInterval => ({
      heardBy,
      start: msBefore(600 - from),
      end: msBefore(600 - from - length),
      sightings,
      rssi,
      rssiMax: rssi === undefined ? undefined : Math.min(20, rssi + 7),
      txPower,
    }));
  const windowStartMinute = Math.floor(msBefore(600) / 60_000 / 180) * 180;
  const record = fc.record({
    intervals: fc.array(interval, { minLength: 1, maxLength: 5 }),
    location: fc.option(fc.record({ lat: fc.integer({ min: -900, max: 900 }).map((v) => v / 10), lon: fc.integer({ min: -1800, max: 1800 }).map((v) => v / 10) }), { nil: undefined }),
  });
  return fc.array(record, { minLength: 1, maxLength: 4 }).map((rs) =>
    rs.map(({ intervals, location }): Contact => ({ id: contactId(1, 2, windowStartMinute), deviceLow: 1, deviceHigh: 2, windowStartMinute, intervals: normalizeIntervals(intervals), location })),
  );
})();

/** The ContactStore contract: every adapter (SQLite, search engines) must pass it unchanged. */
export function describeContactStoreContract(name: string, make: () => Promise<AdapterHarness<ContactStore>>, options: { generatedRuns?: number } = {}): void {
  describe(`ContactStore contract: ${name}`, () => {
    let store: ContactStore;
    useFreshAdapter(make, (adapter) => (store = adapter));

    it('pages every contact of a period in id order, each pair\'s windows one after another', async () => {
      const contacts = [aContact(1, 2, 500, 480), aContact(1, 2, 200, 170), aContact(3, 1, 300, 290), aContact(2, 3, 900, 880)];
      await store.applyBatch(batch('r1:b1', contacts));
      const seen: Contact[] = [];
      for await (const page of store.contactPagesDuring(minutesBefore(600), NOW)) seen.push(...page);
      expect(seen.map((c) => c.id)).toEqual(contacts.slice(0, 3).map((c) => c.id).sort());
      const pairs = seen.map((c) => `${c.deviceLow}-${c.deviceHigh}`);
      expect(pairs.filter((p, i) => i > 0 && p !== pairs[i - 1] && pairs.slice(0, i).includes(p))).toEqual([]);
      // A contact still going on at the start of the period is in it; one begun at its end is not.
      const edge: Contact[] = [];
      for await (const page of store.contactPagesDuring(minutesBefore(485), minutesBefore(200))) edge.push(...page);
      expect(edge.map((c) => c.id)).toEqual([contacts[0]!.id, contacts[2]!.id].sort());
    });

    it('totals the uploads of each reporter in a period', async () => {
      await store.applyBatch(batch('r7:a', [aContact(7, 2, 30, 20)], 7, 4));
      await store.applyBatch(batch('r7:b', [aContact(7, 3, 30, 20)], 7, 6));
      await store.applyBatch(batch('r8:a', [aContact(8, 3, 30, 20)], 8, 1));
      const uploads = (await store.uploadsDuring(minutesBefore(60), new Date(NOW.getTime() + 1))).sort((a, b) => a.reporter - b.reporter);
      expect(uploads).toEqual([
        { reporter: 7, uploads: 2, observations: 10, lastUploadAt: NOW },
        { reporter: 8, uploads: 1, observations: 1, lastUploadAt: NOW },
      ]);
      expect(await store.uploadsDuring(minutesBefore(60), minutesBefore(1))).toEqual([]);
    });

    it('applies a batch once per key, however often it is delivered', async () => {
      const b = batch('r1:b1', [aContact(1, 2, 30, 10)], 1, 3);
      expect(await store.applyBatch(b)).toEqual({ alreadyApplied: false });
      expect(await store.applyBatch(b)).toEqual({ alreadyApplied: true });
      expect(await store.stats()).toEqual({ contacts: 1, batchesApplied: 1, observationsApplied: 3 });
    });

    it('keeps the two sides and separate meetings of a contact as intervals, merged as the domain merges them', async () => {
      const fromLow = { ...aContact(1, 2, 170, 160, { rssi: -80, rssiMax: -70 }), location: { lat: 52.5, lon: 13.4 } };
      const later = aContact(1, 2, 30, 20);
      const fromHigh = { ...aContact(2, 1, 25, 5, { rssi: -60, txPower: -4 }), id: fromLow.id, windowStartMinute: fromLow.windowStartMinute };
      const sameLater = { ...later, id: fromLow.id, windowStartMinute: fromLow.windowStartMinute };
      await store.applyBatch(batch('a', [fromLow]));
      await store.applyBatch(batch('b', [fromHigh], 2));
      await store.applyBatch(batch('c', [sameLater]));
      const [stored] = await store.contactsBetween(2, 1);
      expect(stored).toEqual(mergeContacts(mergeContacts(fromLow, fromHigh), sameLater));
      expect(stored!.intervals.map((i) => [i.heardBy, i.start, i.end])).toEqual([
        ['low', msBefore(170), msBefore(160)],
        ['low', msBefore(30), msBefore(20)],
        ['high', msBefore(25), msBefore(5)],
      ]);
    });

    it('merges any records of one contact, in any order, exactly as the domain does (generated cases)', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(records, async (generated) => {
          const key = `gen-${run++}`;
          for (const [i, c] of generated.entries()) await store.applyBatch(batch(`${key}:${i}`, [c]));
          const expected = generated.reduce((a, b) => mergeContacts(a, b));
          const [stored] = await store.contactsBetween(1, 2);
          expect(stored).toEqual(expected);
          await store.deleteFor(1);
        }),
        { seed: 23, numRuns: options.generatedRuns ?? 100 },
      );
      // Hundreds of round trips to a real node: on a loaded machine this takes longer than the suite's default.
    }, 180_000);

    it('finds the contacts of several devices still going on after a time', async () => {
      await store.applyBatch(batch('x', [aContact(1, 2, 60, 50), aContact(3, 1, 30, 20), aContact(4, 5, 30, 20), aContact(2, 6, 10, 5)]));
      const found = await store.contactsOf([1, 6], minutesBefore(55));
      expect(found.map((c) => [c.deviceLow, c.deviceHigh]).sort()).toEqual([
        [1, 2],
        [1, 3],
        [2, 6],
      ]);
      expect(await store.contactsOf([1], minutesBefore(15))).toEqual([]);
      expect(await store.contactsOf([], minutesBefore(100))).toEqual([]);
    });

    it("erases every contact of a device and the records of its batches; purges old ones", async () => {
      await store.applyBatch(batch('1:y', [aContact(1, 2, 60, 50), aContact(3, 1, 30, 20)], 1));
      await store.applyBatch(batch('4:z', [aContact(4, 5, 30, 20), aContact(6, 7, 3000, 2990)], 4));
      expect(await store.deleteFor(1)).toBe(2);
      expect(await store.stats()).toEqual({ contacts: 2, batchesApplied: 1, observationsApplied: 2 });
      expect(await store.purgeOlderThan(minutesBefore(1000))).toBe(1);
      expect((await store.stats()).contacts).toBe(1);
      // The erased reporter's batch record is gone: the same batch would be applied afresh.
      expect(await store.applyBatch(batch('1:y', [aContact(8, 9, 60, 50)], 1))).toEqual({ alreadyApplied: false });
    });

    it('sees, when reading, every batch whose apply resolved before', async () => {
      await store.applyBatch(batch('k', [aContact(10, 11, 30, 0)]));
      expect(await store.contactsOf([11], minutesBefore(60))).toHaveLength(1);
    });
  });
}
