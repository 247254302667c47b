import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeAdvert } from '../../../device-bridge/src/ble/advert-codec.js';
import { DEFAULT_SERVICE_UUID } from '../../../device-bridge/src/ble/advert-layout.js';
import { ADVERT_FLAG_RELAY_PENDING } from '../../../device-bridge/src/core/bridge.js';
import { BatchSealer } from '../../../device-bridge/src/dedicated/batch-sealer.js';
import { DedicatedDevice } from '../../../device-bridge/src/dedicated/dedicated-device.js';
import { silentLogger } from '../../../device-bridge/src/ports/logger.js';
import { HciRadio } from '../../../device-bridge/src/radio/hci/hci-radio.js';
import { RelayCoordinator } from '../../../device-bridge/src/relay/relay-coordinator.js';
import { ACK_UUID, BATCH_UUID, decodeStatus, encodeSelect, RELAY_CHARACTERISTICS, RELAY_SERVICE_UUID, STATUS_UUID } from '../../../device-bridge/src/relay/relay-gatt-protocol.js';
import { SqliteRelayBatchStore } from '../../../device-bridge/src/store/sqlite-relay-batch-store.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';
import { heardObservations, inProcessRelayApi, provisionDevice } from '../../support/relay-fixtures.js';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';

const until = async (what: string, check: () => boolean, timeoutMs = 15_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * The real bleno (device, peripheral) and noble (bridge, central) run the relay exchange over the
 * virtual controllers: connection, MTU exchange, discovery, long reads, the ack, disconnection.
 */
describe('relay exchange over GATT on the virtual air', { timeout: 60_000 }, () => {
  let air: VirtualAir;
  let dir: string;
  let backend: Awaited<ReturnType<typeof embeddedServices>>;
  const radios: HciRadio[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-gatt-'));
    air = await VirtualAir.startHosts([
      { name: 'dev', position: { x: 0, y: 0 } },
      { name: 'br', position: { x: 3, y: 0 } },
    ]);
    backend = await embeddedServices({ clock: testClock(new Date()) });
  });
  afterEach(async () => {
    await Promise.all(radios.map((r) => r.close()));
    radios.length = 0;
    await air.stop();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const radio = async (name: string) => {
    const r = await HciRadio.create({ scanner: { uart: air.path(`${name}-scan`) }, advertiser: { uart: air.path(`${name}-adv`) }, logger: silentLogger, commandTimeoutMs: 3_000 });
    radios.push(r);
    return r;
  };

  it('hands three sealed batches to the bridge, which delivers them and writes back the backend ack that frees them', async () => {
    const credentials = await provisionDevice(backend.services);
    const sealer = new BatchSealer(credentials);
    const store = new SqliteRelayBatchStore(join(dir, 'device.db'), { sealer });
    const now = Date.now();
    store.addObservations(await heardObservations(backend.services, 50), now);
    store.sealBatch('b1', 50, now);
    store.addObservations(await heardObservations(backend.services, 20), now);
    store.sealBatch('b2', 50, now);
    store.addObservations(await heardObservations(backend.services, 3), now);
    store.sealBatch('b3', 50, now);
    const deviceRadio = await radio('dev');
    const device = new DedicatedDevice({ radio: deviceRadio, store, sealer, credentials }, { scanWatchdogMs: 600_000 });
    const connectedWhileAdvertising: boolean[] = [];
    deviceRadio.gattPeripheral().onEvent((e) => e.type === 'connected' && connectedWhileAdvertising.push(air.controller('dev-adv').advertising));

    const bridgeRadio = await radio('br');
    await bridgeRadio.start();
    const relay = new RelayCoordinator(bridgeRadio.gattCentral(), inProcessRelayApi(backend.services), { stepTimeoutMs: 5_000 });
    const heard: number[] = [];
    bridgeRadio.onReport((data, _rssi, address) => {
      const advert = decodeAdvert(data, DEFAULT_SERVICE_UUID);
      if (advert.status !== 'ok') return;
      const flags = advert.flags ?? 0;
      heard.push(flags);
      if (flags & ADVERT_FLAG_RELAY_PENDING) relay.noticed(address);
    });
    await bridgeRadio.startScan();
    await device.start();

    // The device frees the batches before its write response reaches the bridge: wait for both ends.
    await until('the device store to be emptied by an ack', () => store.heldCount() === 0 && relay.stats.acksWritten === 1);
    await until('disconnection', () => air.connectionCount() === 0);
    expect(relay.stats).toMatchObject({ sessions: 1, batchesCollected: 3, batchesAccepted: 3, acksWritten: 1, failedSessions: 0 });
    expect(await backend.services.queue.stats()).toMatchObject({ backlog: 3 });
    expect(air.connectionsEstablished).toBe(1);
    expect(connectedWhileAdvertising).toEqual([false]); // the controller stopped advertising for the connection
    expect(device.stats().relay).toMatchObject({ connections: 1, handedOver: 3, acknowledged: 1, freed: 3, ackRefused: 0 });
    // A 1,400-byte frame took several blob reads: far more ACL fragments than the handful of commands.
    expect(air.controller('dev-adv').aclPacketsSent).toBeGreaterThan(60);
    heard.length = 0;
    await until('the device advertising again without the relay flag', () => heard.length > 3 && heard.at(-1) === 0);
    expect(air.controller('dev-adv').advType).toBe(0x03); // non-connectable once nothing is pending
    await device.stop();
    store.close();
  });

  it('a relay that reads the characteristics learns nothing in clear and cannot free a batch without the backend', async () => {
    const credentials = await provisionDevice(backend.services);
    const sealer = new BatchSealer(credentials);
    const store = new SqliteRelayBatchStore(join(dir, 'device.db'), { sealer });
    const obs = await heardObservations(backend.services, 5);
    store.addObservations(obs, Date.now());
    store.sealBatch('b1', 50, Date.now());
    const deviceRadio = await radio('dev');
    const device = new DedicatedDevice({ radio: deviceRadio, store, sealer, credentials }, { scanWatchdogMs: 600_000 });
    const curious = await radio('br');
    await curious.start();
    let address: string | undefined;
    curious.onReport((data, _rssi, from) => {
      const advert = decodeAdvert(data, DEFAULT_SERVICE_UUID);
      if (advert.status === 'ok' && (advert.flags ?? 0) & ADVERT_FLAG_RELAY_PENDING) address = from;
    });
    await curious.startScan();
    await device.start();
    await until('the relay flag', () => address !== undefined);
    const session = await curious.gattCentral().connect(address!, { uuid: RELAY_SERVICE_UUID, characteristics: RELAY_CHARACTERISTICS }, 5_000);
    expect(session.mtu).toBe(256);
    expect(decodeStatus(await session.read(STATUS_UUID))).toEqual({ pending: 1 });
    const frames: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      await session.write(BATCH_UUID, encodeSelect(0));
      frames.push(await session.read(BATCH_UUID));
    }
    const secrets = [Buffer.from(credentials.deviceId.replaceAll('-', ''), 'hex'), ...obs.map((o) => Buffer.from(o.token, 'base64url')), Buffer.from('PTRB')];
    for (const frame of frames) {
      expect(frame.length).toBeGreaterThan(255); // more than one ATT read: Read Blob did the rest
      for (const secret of secrets) expect(frame.includes(secret)).toBe(false);
    }
    expect(frames[0]!.subarray(37).equals(frames[1]!.subarray(37))).toBe(false); // sealed afresh each time: unlinkable
    // A made-up ack (96 bytes) is refused: noble never answers an ATT error, so the write times out.
    await expect(session.write(ACK_UUID, Buffer.concat([store.held()[0]!.hash, Buffer.alloc(64, 1)]))).rejects.toThrow(/timed out/);
    expect(store.heldCount()).toBe(1);
    expect(device.stats().relay.ackRefused).toBe(1);
    await session.disconnect();
    await device.stop();
    store.close();
  });
});

