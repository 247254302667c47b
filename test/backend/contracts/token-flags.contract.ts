import { describe, expect, it } from 'vitest';
import type { TokenFlags } from '../../../backend/src/ports/token-flags.js';
import { MIN, NOW } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const flag = (device: number, windowStartMinute: number, minutesAgo = 0) => ({
  device,
  windowStartMinute,
  reason: 'too_many_reporters' as const,
  reporters: 400,
  flaggedAt: new Date(NOW.getTime() - minutesAgo * MIN),
});

export function describeTokenFlagsContract(name: string, make: () => Promise<AdapterHarness<TokenFlags>>): void {
  describe(`TokenFlags contract: ${name}`, () => {
    let flags: TokenFlags;
    useFreshAdapter(make, (adapter) => (flags = adapter));

    it('keeps the first flag of a token window and lists the newest first', async () => {
      await flags.record([flag(1, 100, 10), flag(2, 100, 5)]);
      await flags.record([{ ...flag(1, 100), reporters: 900 }]);
      expect(await flags.list(10)).toEqual([flag(2, 100, 5), flag(1, 100, 10)]);
      expect(await flags.list(1)).toEqual([flag(2, 100, 5)]);
    });

    it("forgets an erased device's flags and purges old ones", async () => {
      await flags.record([flag(1, 100, 10), flag(1, 280, 10), flag(2, 100, 60 * 24 * 30)]);
      expect(await flags.deleteFor(1)).toBe(2);
      expect(await flags.purgeOlderThan(new Date(NOW.getTime() - 60 * 24 * 21 * MIN))).toBe(1);
      expect(await flags.list(10)).toEqual([]);
    });
  });
}
