import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZERO_HASH } from '../../../backend/src/domain/relay/relay-batch.js';
import { DedicatedDeviceExistsError, type DedicatedDeviceRegistry, type NewDedicatedDevice } from '../../../backend/src/ports/dedicated-devices.js';
import { DAY, NOW } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const later = (ms: number) => new Date(NOW.getTime() + ms);
const hash = (n: number) => Buffer.alloc(32, n);

export function aDedicatedDevice(overrides: Partial<NewDedicatedDevice> = {}): NewDedicatedDevice {
  return {
    deviceId: randomUUID(),
    deviceNumber: 1000 + Math.floor(Math.random() * 1e9),
    publicKey: Buffer.alloc(32, 7),
    ownerPhoneSealed: 'sealed-phone',
    registeredAt: NOW,
    bundleUntil: later(4 * DAY),
    keepUntil: later(25 * DAY),
    ...overrides,
  };
}

const delivery = (deviceId: string, seq: number, expectedHighestSeq: number, extra = {}) => ({
  deviceId,
  seq,
  batchHash: hash(seq),
  expectedHighestSeq,
  dropped: 0,
  createdAt: NOW,
  receivedAt: later(60_000),
  keepUntil: later(21 * DAY),
  ...extra,
});

export function describeDedicatedDevicesContract(name: string, make: () => Promise<AdapterHarness<DedicatedDeviceRegistry>>): void {
  describe(`DedicatedDeviceRegistry contract: ${name}`, () => {
    let registry: DedicatedDeviceRegistry;
    useFreshAdapter(make, (adapter) => (registry = adapter));

    it('registers a device with an empty chain, found by id and by device number; an id or number is taken once', async () => {
      const device = aDedicatedDevice();
      await registry.register(device);
      const found = await registry.find(device.deviceId);
      expect(found).toMatchObject({ deviceId: device.deviceId, deviceNumber: device.deviceNumber, ownerPhoneSealed: 'sealed-phone', chain: { highestSeq: 0, droppedReported: 0 } });
      expect(found!.publicKey.equals(device.publicKey)).toBe(true);
      expect(found!.chain.headHash.equals(ZERO_HASH)).toBe(true);
      expect((await registry.findByNumber(device.deviceNumber))?.deviceId).toBe(device.deviceId);
      await expect(registry.register({ ...device, deviceNumber: device.deviceNumber + 1 })).rejects.toBeInstanceOf(DedicatedDeviceExistsError);
      await expect(registry.register({ ...device, deviceId: randomUUID() })).rejects.toBeInstanceOf(DedicatedDeviceExistsError);
      expect(await registry.find(randomUUID())).toBeUndefined();
    });

    it('advances the chain only from the expected head, with the receipt, lag and gap', async () => {
      const device = aDedicatedDevice();
      await registry.register(device);
      expect(await registry.recordAccepted(delivery(device.deviceId, 1, 0))).toBe(true);
      expect(await registry.recordAccepted(delivery(device.deviceId, 2, 0))).toBe(false); // the chain moved meanwhile
      expect(await registry.recordAccepted(delivery(device.deviceId, 5, 1, { dropped: 2, gap: { fromSeq: 2, toSeq: 4, droppedByDevice: 2 } }))).toBe(true);
      const found = await registry.find(device.deviceId);
      expect(found?.chain).toEqual({ highestSeq: 5, headHash: hash(5), droppedReported: 2 });
      expect(found?.lastDeliveryAt).toEqual(later(60_000));
      expect(found?.lastLagMs).toBe(60_000);
      expect(await registry.pastSeq(device.deviceId, 1)).toEqual({ kind: 'accepted', hash: hash(1) });
      expect(await registry.pastSeq(device.deviceId, 3)).toEqual({ kind: 'gap' });
      expect(await registry.pastSeq(device.deviceId, 4)).toEqual({ kind: 'gap' });
      expect(await registry.pastSeq(device.deviceId, 5)).toEqual({ kind: 'accepted', hash: hash(5) });
      expect(await registry.pastSeq(randomUUID(), 1)).toEqual({ kind: 'unknown' });
      expect(await registry.listGaps()).toEqual([{ deviceId: device.deviceId, fromSeq: 2, toSeq: 4, droppedByDevice: 2, recordedAt: later(60_000) }]);
    });

    it('remembers an envelope once and counts deliveries per relay and outcome', async () => {
      expect(await registry.recordEnvelope(hash(1), later(DAY))).toBe(true);
      expect(await registry.recordEnvelope(hash(1), later(DAY))).toBe(false);
      await registry.countDelivery('relay-a', 'accepted', NOW, later(DAY));
      await registry.countDelivery('relay-a', 'accepted', later(1000), later(DAY));
      await registry.countDelivery('relay-a', 'batch_replayed', NOW, later(DAY));
      await registry.countDelivery('relay-b', 'duplicate', NOW, later(DAY));
      expect(await registry.listCounters()).toEqual([
        { relay: 'relay-a', outcome: 'accepted', count: 2, lastAt: later(1000) },
        { relay: 'relay-a', outcome: 'batch_replayed', count: 1, lastAt: NOW },
        { relay: 'relay-b', outcome: 'duplicate', count: 1, lastAt: NOW },
      ]);
    });

    it("forgets one device's registration, receipts and gaps, and nothing of another's; again, it forgets nothing", async () => {
      const erased = aDedicatedDevice();
      const other = aDedicatedDevice();
      await registry.register(erased);
      await registry.register(other);
      expect(await registry.recordAccepted(delivery(erased.deviceId, 1, 0))).toBe(true);
      expect(await registry.recordAccepted(delivery(erased.deviceId, 4, 1, { gap: { fromSeq: 2, toSeq: 3, droppedByDevice: 0 } }))).toBe(true);
      expect(await registry.recordAccepted(delivery(other.deviceId, 1, 0))).toBe(true);
      expect(await registry.forget(erased.deviceId)).toBe(4); // two receipts, one gap, the registration
      expect(await registry.find(erased.deviceId)).toBeUndefined();
      expect(await registry.findByNumber(erased.deviceNumber)).toBeUndefined();
      expect(await registry.pastSeq(erased.deviceId, 1)).toEqual({ kind: 'unknown' });
      expect(await registry.pastSeq(erased.deviceId, 2)).toEqual({ kind: 'unknown' });
      expect((await registry.listGaps()).filter((g) => g.deviceId === erased.deviceId)).toEqual([]);
      expect(await registry.forget(erased.deviceId)).toBe(0);
      expect((await registry.find(other.deviceId))?.chain.highestSeq).toBe(1);
      expect((await registry.pastSeq(other.deviceId, 1)).kind).toBe('accepted');
    });

    it('extends a registration with a new bundle and purges what expired', async () => {
      const kept = aDedicatedDevice({ keepUntil: later(DAY) });
      const gone = aDedicatedDevice({ keepUntil: later(DAY) });
      await registry.register(kept);
      await registry.register(gone);
      await registry.extendBundle(kept.deviceId, later(8 * DAY), later(30 * DAY));
      await registry.recordEnvelope(hash(9), later(DAY));
      expect((await registry.find(kept.deviceId))?.bundleUntil).toEqual(later(8 * DAY));
      expect(await registry.purgeExpired(later(2 * DAY))).toBe(2);
      expect(await registry.find(gone.deviceId)).toBeUndefined();
      expect((await registry.listDevices()).map((d) => d.deviceId)).toEqual([kept.deviceId]);
      expect(await registry.recordEnvelope(hash(9), later(3 * DAY))).toBe(true);
    });
  });
}
