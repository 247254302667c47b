import { expect } from 'vitest';
import { acceptRelayedBatches } from '../../backend/src/application/relay/accept-relayed-batches.js';
import { DedicatedDeviceUnknownError, deviceRequestMessage } from '../../backend/src/application/relay/device-signed-request.js';
import { eraseDedicatedDevice } from '../../backend/src/application/relay/erase-dedicated-device.js';
import { eraseDedicatedDeviceDeps } from '../../backend/src/composition/erase-deps.js';
import { relayDeps } from '../../backend/src/composition/relay-services.js';
import { keyedLabel } from '../../backend/src/domain/relay/owner-data.js';
import { decodeSignedBatch, ZERO_HASH } from '../../backend/src/domain/relay/relay-batch.js';
import { ed25519PrivateKey, signEd25519 } from '../../backend/src/domain/relay/relay-signatures.js';
import { BatchSealer } from '../../device-bridge/src/dedicated/batch-sealer.js';
import { MIN } from './builders.js';
import type { TestClock } from './embedded-services.js';
import { provisionDevice } from './relay-fixtures.js';
import { TracingWorld, type WorldBackend } from './tracing-world.js';

const OWNER = '+15550188001';

export interface ErasureScene {
  backend: WorldBackend;
  clock: TestClock;
  /** Every record of every store of this backend, as text. */
  records(): Promise<{ where: string; text: string }[]>;
  /** Where erasure markers may still name the device: the erased number and the erased subject (and, on DynamoDB, the owner's rate window). */
  markers: string[];
}

/**
 * A dedicated device relayed three batches (one lost on the way: a gap), met a phone that later
 * tested positive, and its owner got the SMS; one more batch still waits on the queue. The owner
 * erases it with the device's key: afterwards no store names its id, number, tokens or its owner's
 * (sealed, or keyed) number but the erasure markers, its batches are refused as an unknown device,
 * and a second erasure finds nothing to erase.
 */
export async function eraseRelayedDedicatedDevice(scene: ErasureScene): Promise<void> {
  const { backend, clock } = scene;
  const s = backend.services;
  const world = new TracingWorld(backend, clock);
  const credentials = await provisionDevice(s, OWNER);
  const registered = (await s.relay.registry.find(credentials.deviceId))!;
  const sealer = new BatchSealer(credentials);
  const now = clock.now().getTime();
  const heard = [{ token: Buffer.from(await world.tokenOf('A', new Date(now - 20 * MIN)), 'base64url'), firstSeen: new Date(now - 20 * MIN), lastSeen: new Date(now - 5 * MIN), rssi: -60 }];
  const signed: Buffer[] = [];
  for (let seq = 1, prevHash: Buffer = ZERO_HASH; seq <= 4; seq++) {
    signed.push(sealer.sign({ seq, prevHash, createdAt: new Date(now - 4 * MIN), dropped: 0, observations: heard }));
    prevHash = decodeSignedBatch(signed.at(-1)!).hash;
  }
  const relay = async (batches: Buffer[]) => acceptRelayedBatches(relayDeps(s), 'relay-under-test', await Promise.all(batches.map((b) => sealer.sealForHandover(b))));
  expect((await relay([signed[0]!, signed[2]!])).map((r) => r.outcome)).toEqual(['accepted', 'accepted']); // batch 2 lost: a gap
  await world.settle();
  await world.report('A');
  await world.settle();
  expect(await s.ledger.notificationsFor(registered.deviceNumber)).toHaveLength(1);
  expect((await s.relay.ledger.stats()).sent).toBe(1);
  expect((await relay([signed[3]!])).map((r) => r.outcome)).toEqual(['accepted']); // queued, not yet consumed

  const traces = [
    credentials.deviceId,
    String(registered.deviceNumber),
    registered.deviceNumber.toString(36),
    registered.ownerPhoneSealed,
    keyedLabel(s.relay.keys.ownerDataKey, 'phone', OWNER),
    OWNER,
    ...credentials.tokens.map((t) => t.token),
  ];
  const naming = async () => (await scene.records()).filter((r) => traces.some((t) => r.text.includes(t)));
  const before = (await scene.records()).map((r) => r.text).join('\n');
  for (const trace of [credentials.deviceId, String(registered.deviceNumber), registered.ownerPhoneSealed]) expect(before).toContain(trace);
  // Tokens are never stored as such: their issuance is recorded under the device number.
  expect(await s.tokenRegistry.countFor(registered.deviceNumber)).toBe(credentials.tokens.length);

  const requestedAt = clock.now();
  const signature = signEd25519(ed25519PrivateKey(credentials.signingKey), deviceRequestMessage('erase', credentials.deviceId, requestedAt));
  const request = { deviceId: credentials.deviceId, requestedAt, signature };
  const erased = await eraseDedicatedDevice(eraseDedicatedDeviceDeps(s), request);
  expect(erased).toMatchObject({ tokens: credentials.tokens.length, notifications: 1, ownerAlerts: 1, relayRecords: 5 }); // 3 receipts, 1 gap, the registration
  expect(erased.contacts).toBeGreaterThan(0);
  await world.settle();
  expect(await s.tokenRegistry.countFor(registered.deviceNumber)).toBe(0);

  expect([...new Set((await naming()).map((r) => r.where))].sort()).toEqual([...scene.markers].sort());
  expect((await relay([signed[3]!]))[0]).toMatchObject({ outcome: 'rejected', status: 422, code: 'device_unknown' });
  await expect(eraseDedicatedDevice(eraseDedicatedDeviceDeps(s), request)).rejects.toBeInstanceOf(DedicatedDeviceUnknownError);
}
