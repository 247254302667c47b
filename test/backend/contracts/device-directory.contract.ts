import { describe, expect, it } from 'vitest';
import { isDeviceNumber } from '../../../backend/src/domain/device.js';
import { SubjectErasedError, type DeviceDirectory } from '../../../backend/src/ports/device-directory.js';
import { DAY, MIN, NOW } from '../../support/builders.js';
import type { TestClock } from '../../support/embedded-services.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

/** The directory under test reads "now" for subject markers from `clock`, which starts at NOW. */
export function describeDeviceDirectoryContract(name: string, make: (clock: TestClock) => Promise<AdapterHarness<DeviceDirectory>>): void {
  describe(`DeviceDirectory contract: ${name}`, () => {
    let directory: DeviceDirectory;
    let clock: TestClock;
    useFreshAdapter(
      () => {
        let current = NOW.getTime();
        clock = { now: () => new Date(current), advance: (ms) => (current += ms) };
        return make(clock);
      },
      (adapter) => (directory = adapter),
    );

    it('creates a device with a random number once per subject', async () => {
      const first = await directory.ensureDevice('sub-1', NOW);
      expect(isDeviceNumber(first.number)).toBe(true);
      expect(await directory.ensureDevice('sub-1', NOW)).toEqual(first);
      expect((await directory.ensureDevice('sub-2', NOW)).number).not.toBe(first.number);
      expect(await directory.lookup('sub-1')).toEqual({ state: 'active', device: first });
      expect(await directory.lookup('nobody')).toEqual({ state: 'unknown' });
    });

    it('erases in two steps: the number is erased at once, the subject only at the end, so a failed erasure can be retried', async () => {
      const device = await directory.ensureDevice('sub-1', NOW);
      const other = await directory.ensureDevice('sub-2', NOW);
      await directory.beginErasure(device, NOW);
      await directory.beginErasure(device, NOW);
      expect(await directory.lookup('sub-1')).toEqual({ state: 'erasing', device });
      expect(await directory.erasedAmong([device.number, other.number, 12345])).toEqual(new Set([device.number]));
      await expect(directory.ensureDevice('sub-1', NOW)).rejects.toBeInstanceOf(SubjectErasedError);

      await directory.completeErasure(device, NOW, DAY);
      expect(await directory.lookup('sub-1')).toEqual({ state: 'erased' });
      await expect(directory.ensureDevice('sub-1', NOW)).rejects.toBeInstanceOf(SubjectErasedError);
      expect(await directory.erasedAmong([device.number])).toEqual(new Set([device.number]));
    });

    it('forgets erasure markers after their time: the number is purged, the subject may sign up afresh', async () => {
      const device = await directory.ensureDevice('sub-1', NOW);
      await directory.beginErasure(device, NOW);
      await directory.completeErasure(device, NOW, DAY);
      expect(await directory.purgeErasedBefore(new Date(NOW.getTime() - MIN))).toBe(0);
      clock.advance(DAY + MIN);
      expect(await directory.purgeErasedBefore(new Date(NOW.getTime() + 1))).toBe(1);
      expect(await directory.erasedAmong([device.number])).toEqual(new Set());
      expect(await directory.lookup('sub-1')).toEqual({ state: 'unknown' });
      expect((await directory.ensureDevice('sub-1', clock.now())).number).not.toBe(device.number);
    });
  });
}
