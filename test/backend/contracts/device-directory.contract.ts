import { describe, expect, it } from 'vitest';
import { isDeviceNumber } from '../../../backend/src/domain/device.js';
import type { DeviceDirectory } from '../../../backend/src/ports/device-directory.js';
import { DAY, minutesBefore, NOW } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

export function describeDeviceDirectoryContract(name: string, make: () => Promise<AdapterHarness<DeviceDirectory>>): void {
  describe(`DeviceDirectory contract: ${name}`, () => {
    let directory: DeviceDirectory;
    useFreshAdapter(make, (adapter) => (directory = adapter));

    it('creates a device with a random number once per subject', async () => {
      const first = await directory.ensureDevice('sub-1', NOW);
      expect(isDeviceNumber(first.number)).toBe(true);
      expect(await directory.ensureDevice('sub-1', NOW)).toEqual(first);
      expect((await directory.ensureDevice('sub-2', NOW)).number).not.toBe(first.number);
      expect(await directory.findBySubject('sub-1')).toEqual(first);
    });

    it('erases a device and remembers its number', async () => {
      const device = await directory.ensureDevice('sub-1', NOW);
      await directory.eraseDevice(device, NOW);
      expect(await directory.findBySubject('sub-1')).toBeUndefined();
      expect(await directory.listErasedSince(minutesBefore(1))).toEqual([device.number]);
      expect(await directory.purgeErasedBefore(minutesBefore(1))).toBe(0);
      expect(await directory.purgeErasedBefore(new Date(NOW.getTime() + 1))).toBe(1);
      expect(await directory.listErasedSince(minutesBefore(1))).toEqual([]);
    });

    it('redeems a verification code exactly once, even when redeemed concurrently', async () => {
      await directory.saveVerificationCode({ codeHash: 'h', issuedBy: 'o', issuedAt: NOW, expiresAt: new Date(NOW.getTime() + DAY) });
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => directory.redeemVerificationCode('h', NOW)));
      expect(outcomes.filter((o) => o === 'redeemed')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'used')).toHaveLength(4);
    });

    it.each([
      ['unknown', 'nope', NOW],
      ['expired', 'h', new Date(NOW.getTime() + 2 * DAY)],
    ])('reports a code as %s', async (outcome, hash, at) => {
      await directory.saveVerificationCode({ codeHash: 'h', issuedBy: 'o', issuedAt: NOW, expiresAt: new Date(NOW.getTime() + DAY) });
      expect(await directory.redeemVerificationCode(hash, at)).toBe(outcome);
    });

    it('lists the cases whose infectious window is still open', async () => {
      const base = { reportedAt: NOW, infectiousFrom: minutesBefore(60 * 24) };
      await directory.saveCase({ id: 'open', device: 1, ...base, infectiousUntil: new Date(NOW.getTime() + DAY) });
      await directory.saveCase({ id: 'closed', device: 2, ...base, infectiousUntil: minutesBefore(1) });
      expect((await directory.listActiveCases(NOW)).map((c) => c.id)).toEqual(['open']);
      expect(await directory.deleteCasesFor(1)).toBe(1);
    });
  });
}
