import { describe, expect, it } from 'vitest';
import { pseudonym } from '../../../backend/src/domain/analytics/pseudonym.js';
import type { PseudonymKeys } from '../../../backend/src/ports/pseudonym-keys.js';
import { DAY } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const W1 = Date.UTC(2026, 10, 16);

/** The PseudonymKeys contract; the stores are made with retention cases 400 days and encounters 28 days. */
export function describePseudonymKeysContract(name: string, make: () => Promise<AdapterHarness<PseudonymKeys>>): void {
  describe(`PseudonymKeys contract: ${name}`, () => {
    let keys: PseudonymKeys;
    useFreshAdapter(make, (adapter) => (keys = adapter));

    it('gives every caller the same key of an index and week, and different indices and weeks different keys', async () => {
      const [a, b] = await Promise.all([keys.keyFor('cases', W1), keys.keyFor('cases', W1)]);
      expect(Buffer.from(a.secret).equals(Buffer.from(b.secret))).toBe(true);
      expect(a.secret.length).toBe(32);
      const other = await keys.keyFor('encounters', W1);
      const next = await keys.keyFor('cases', W1 + 7 * DAY);
      const p = (k: typeof a) => pseudonym(k, 'device', 42);
      expect(new Set([p(a), p(other), p(next)]).size).toBe(3);
      expect((await keys.heldKeys('cases')).map((k) => k.week)).toEqual([W1, W1 + 7 * DAY]);
    });

    it("deletes a key once the records made with it are past their index's retention", async () => {
      await keys.keyFor('cases', W1);
      await keys.keyFor('encounters', W1);
      expect(await keys.purgeExpired(new Date(W1 + 7 * DAY + 28 * DAY - 1))).toBe(0);
      expect(await keys.purgeExpired(new Date(W1 + 7 * DAY + 28 * DAY))).toBe(1);
      expect(await keys.heldKeys('encounters')).toEqual([]);
      expect((await keys.heldKeys('cases')).length).toBe(1);
    });
  });
}
