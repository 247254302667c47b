import { describe, expect, it } from 'vitest';
import type { RateLimitStore } from '../../../backend/src/ports/rate-limit-store.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const MIN = 60_000;

/** What every RateLimitStore does: counts up to a limit atomically, forgets at expiry. */
export function describeRateLimitStoreContract(name: string, make: () => Promise<AdapterHarness<RateLimitStore>>): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    let store: RateLimitStore;
    useFreshAdapter(make, (s) => (store = s));
    // Relative to the real clock: DynamoDB's TTL must not find these counters long expired.
    const now = new Date();
    const later = (ms: number) => new Date(now.getTime() + ms);

    it('counts up to the limit and then refuses without counting', async () => {
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await store.take('k', 3, later(MIN), now));
      expect(results).toEqual([
        { allowed: true, count: 1 },
        { allowed: true, count: 2 },
        { allowed: true, count: 3 },
        { allowed: false, count: 3 },
      ]);
      expect(await store.peek('k', now)).toEqual({ count: 3, lastAt: now });
    });

    it('counts several events at once, refusing an amount that would pass the limit', async () => {
      expect(await store.take('n', 10, later(MIN), now, 4)).toEqual({ allowed: true, count: 4 });
      expect(await store.take('n', 10, later(MIN), now, 6)).toEqual({ allowed: true, count: 10 });
      expect(await store.take('n', 10, later(MIN), now, 1)).toEqual({ allowed: false, count: 10 });
      expect(await store.take('fresh', 3, later(MIN), now, 4)).toEqual({ allowed: false, count: 0 });
    });

    it('lets exactly `limit` of many concurrent takes through', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, () => store.take('burst', 5, later(MIN), now)));
      expect(results.filter((r) => r.allowed)).toHaveLength(5);
      expect((await store.peek('burst', now))?.count).toBe(5);
    });

    it('keeps keys apart and remembers the last counted time', async () => {
      await store.take('a', 10, later(MIN), now);
      await store.take('a', 10, later(MIN), later(1000));
      await store.take('b', 10, later(MIN), now);
      expect(await store.peek('a', later(2000))).toEqual({ count: 2, lastAt: later(1000) });
      expect(await store.peek('b', now)).toEqual({ count: 1, lastAt: now });
      expect(await store.peek('c', now)).toBeUndefined();
    });

    it('forgets a counter at its expiry: it starts again, and purging removes it', async () => {
      await store.take('k', 1, later(MIN), now);
      expect((await store.take('k', 1, later(MIN), now)).allowed).toBe(false);
      expect(await store.peek('k', later(MIN))).toBeUndefined();
      expect(await store.take('k', 1, later(2 * MIN), later(MIN))).toEqual({ allowed: true, count: 1 });
      await store.take('old', 1, later(MIN), now);
      expect(await store.purgeExpired(later(MIN + 1))).toBeGreaterThanOrEqual(1);
      expect(await store.peek('k', later(MIN + 1))).toEqual({ count: 1, lastAt: later(MIN) });
    });

    it('refuses everything under a limit of 0', async () => {
      expect(await store.take('none', 0, later(MIN), now)).toEqual({ allowed: false, count: 0 });
    });
  });
}
