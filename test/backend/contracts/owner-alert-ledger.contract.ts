import { describe, expect, it } from 'vitest';
import type { OwnerAlertLedger } from '../../../backend/src/ports/owner-alert-ledger.js';
import { DAY, MIN, NOW } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const at = (minutes: number) => new Date(NOW.getTime() + minutes * MIN);
const claim = (alertKey: string, phoneKey: string, minutes = 0) => ({ alertKey, phoneKey, at: at(minutes), keepUntil: new Date(NOW.getTime() + 21 * DAY) });
const LIMIT = { max: 2, windowMs: 60 * MIN };

export function describeOwnerAlertLedgerContract(name: string, make: () => Promise<AdapterHarness<OwnerAlertLedger>>): void {
  describe(`OwnerAlertLedger contract: ${name}`, () => {
    let ledger: OwnerAlertLedger;
    useFreshAdapter(make, (adapter) => (ledger = adapter));

    it('claims each alert once', async () => {
      expect(await ledger.claim(claim('c1:1', 'p1'), LIMIT)).toBe('send');
      expect(await ledger.claim(claim('c1:1', 'p1', 1), LIMIT)).toBe('duplicate');
      expect(await ledger.stats()).toEqual({ sent: 1, rateLimited: 0, failed: 0 });
    });

    it('limits each number to `max` SMS per window, across alerts, and opens a new window after it', async () => {
      expect(await ledger.claim(claim('a', 'p1', 0), LIMIT)).toBe('send');
      expect(await ledger.claim(claim('b', 'p1', 10), LIMIT)).toBe('send');
      expect(await ledger.claim(claim('c', 'p1', 20), LIMIT)).toBe('rate_limited');
      expect(await ledger.claim(claim('c', 'p1', 21), LIMIT)).toBe('duplicate'); // a suppressed alert is not retried
      expect(await ledger.claim(claim('d', 'p2', 20), LIMIT)).toBe('send');
      expect(await ledger.claim(claim('e', 'p1', 61), LIMIT)).toBe('send');
      expect(await ledger.stats()).toEqual({ sent: 4, rateLimited: 1, failed: 0 });
    });

    it("forgets one device's alerts (keys ending in :<number>), not those of a number that only ends alike, and keeps the owner's rate window", async () => {
      expect(await ledger.claim(claim('case-1:42', 'p1', 0), LIMIT)).toBe('send');
      expect(await ledger.claim(claim('case-2:42', 'p1', 1), LIMIT)).toBe('send');
      expect(await ledger.claim(claim('case-1:142', 'p2', 2), LIMIT)).toBe('send');
      expect(await ledger.forgetDevice(42)).toBe(2);
      expect(await ledger.stats()).toEqual({ sent: 1, rateLimited: 0, failed: 0 });
      expect(await ledger.forgetDevice(42)).toBe(0);
      expect(await ledger.claim(claim('case-1:142', 'p2', 3), LIMIT)).toBe('duplicate');
    });

    it('counts an SMS that could not be sent, lets its retry claim it again once, and purges expired alerts', async () => {
      await ledger.claim(claim('a', 'p1'), LIMIT);
      await ledger.markFailed('a');
      expect(await ledger.stats()).toEqual({ sent: 0, rateLimited: 0, failed: 1 });
      expect(await ledger.claim(claim('a', 'p1', 1), LIMIT)).toBe('send');
      expect(await ledger.claim(claim('a', 'p1', 2), LIMIT)).toBe('duplicate');
      expect(await ledger.stats()).toEqual({ sent: 1, rateLimited: 0, failed: 0 });
      await ledger.markFailed('a');
      expect(await ledger.purgeExpired(new Date(NOW.getTime() + 22 * DAY))).toBe(1);
      expect(await ledger.stats()).toEqual({ sent: 0, rateLimited: 0, failed: 0 });
    });
  });
}
