import { describe, expect, it } from 'vitest';
import type { ExposureNotification } from '../../../backend/src/domain/exposure/notification.js';
import type { Notifier } from '../../../backend/src/ports/notifier.js';
import { minutesBefore, NOW } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const notification = (device: number, caseId: string, degree = 1): ExposureNotification => ({
  id: `${caseId}-${device}`,
  caseId,
  device,
  degree,
  probability: 1 / 3 ** degree,
  exposedAt: minutesBefore(60),
  issuedAt: NOW,
});

export function describeNotifierContract(name: string, make: () => Promise<AdapterHarness<Notifier>>): void {
  describe(`Notifier contract: ${name}`, () => {
    let notifier: Notifier;
    useFreshAdapter(make, (adapter) => (notifier = adapter));

    it('delivers at most one notification per case and device', async () => {
      expect(await notifier.deliver([notification(1, 'c1'), notification(2, 'c1')])).toHaveLength(2);
      expect(await notifier.deliver([{ ...notification(1, 'c1', 2), id: 'other' }, notification(1, 'c2')])).toEqual([notification(1, 'c2')]);
      expect(await notifier.listFor(1)).toEqual([notification(1, 'c1'), notification(1, 'c2')]);
      expect((await notifier.notifiedDevices('c1')).sort()).toEqual([1, 2]);
    });

    it('lists notified devices that can still pass exposure on', async () => {
      await notifier.deliver([notification(1, 'c1', 1), notification(2, 'c1', 2)]);
      expect((await notifier.listSpreading(minutesBefore(120), 2)).map((n) => n.device)).toEqual([1]);
    });

    it('deletes a device’s notifications and purges old ones', async () => {
      await notifier.deliver([notification(1, 'c1'), notification(2, 'c1')]);
      expect(await notifier.deleteFor(1)).toBe(1);
      expect(await notifier.purgeOlderThan(new Date(NOW.getTime() + 1))).toBe(1);
      expect(await notifier.listFor(2)).toEqual([]);
    });
  });
}
