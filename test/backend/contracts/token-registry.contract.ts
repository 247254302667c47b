import { describe, expect, it } from 'vitest';
import type { TokenRegistry } from '../../../backend/src/ports/token-registry.js';
import { MIN, NOW } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const issuance = (device: number, windowIndex: number) => ({
  device,
  windowStart: new Date(NOW.getTime() + windowIndex * 180 * MIN),
  validUntil: new Date(NOW.getTime() + (windowIndex + 1) * 180 * MIN),
  keyId: 1,
});

export function describeTokenRegistryContract(name: string, make: () => Promise<AdapterHarness<TokenRegistry>>): void {
  describe(`TokenRegistry contract: ${name}`, () => {
    let registry: TokenRegistry;
    useFreshAdapter(make, (adapter) => (registry = adapter));

    it('records each window once per device', async () => {
      await registry.recordIssued([issuance(1, 0), issuance(1, 1)]);
      await registry.recordIssued([issuance(1, 1), issuance(1, 2), issuance(2, 0)]);
      expect(await registry.countFor(1)).toBe(3);
    });

    it('deletes a device’s records and purges expired ones', async () => {
      await registry.recordIssued([issuance(1, -2), issuance(1, 0), issuance(2, 0)]);
      expect(await registry.purgeExpired(NOW)).toBe(1);
      expect(await registry.deleteFor(1)).toBe(1);
      expect(await registry.countFor(2)).toBe(1);
    });
  });
}
