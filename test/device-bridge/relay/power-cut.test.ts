import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAdvert } from '../../../device-bridge/src/ble/advert-codec.js';
import { DEFAULT_SERVICE_UUID } from '../../../device-bridge/src/ble/advert-layout.js';
import { ADVERT_FLAG_RELAY_PENDING } from '../../../device-bridge/src/core/bridge.js';
import { BatchSealer } from '../../../device-bridge/src/dedicated/batch-sealer.js';
import { PROVISIONING_FILE, saveDeviceCredentials } from '../../../device-bridge/src/dedicated/device-credentials.js';
import { silentLogger } from '../../../device-bridge/src/ports/logger.js';
import { HciRadio } from '../../../device-bridge/src/radio/hci/hci-radio.js';
import { RelayCoordinator, type SessionOutcome } from '../../../device-bridge/src/relay/relay-coordinator.js';
import { SqliteRelayBatchStore } from '../../../device-bridge/src/store/sqlite-relay-batch-store.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';
import { heardObservations, inProcessRelayApi, provisionDevice } from '../../support/relay-fixtures.js';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';
import { BridgeProcess } from '../support/bridge-process.js';

/**
 * A power cut on the dedicated device (SIGKILL of its process) after the relay read its batches and
 * the backend stored them, before the ack came back: the device still holds them, hands them over
 * again after restarting, the backend recognises them (stored once) and acknowledges, and only then
 * are they freed.
 */
describe('power cut on the device between handover and acknowledgement', { timeout: 90_000 }, () => {
  let air: VirtualAir;
  let dir: string;
  let backend: Awaited<ReturnType<typeof embeddedServices>>;
  let bridge: HciRadio;
  const devices: BridgeProcess[] = [];
  let relay: RelayCoordinator;
  let cut: (() => Promise<void>) | undefined;
  const sessions: SessionOutcome[] = [];

  const startDevice = () => {
    const p = new BridgeProcess('device', ['--mode', 'dedicated', '--data-dir', dir, '--radio', 'hci', '--hci-scan-uart', air.path('dev-scan'), '--hci-adv-uart', air.path('dev-adv'), '--status-interval', '200ms', '--hci-adv-interval', '100ms']);
    devices.push(p);
    return p;
  };
  const heldOnDisk = () => {
    const store = new SqliteRelayBatchStore(join(dir, 'device.db'), { sealer: { sign: () => Buffer.alloc(0) } });
    try {
      return store.heldCount();
    } finally {
      store.close();
    }
  };
  const nextSession = async () => {
    const before = sessions.length;
    const end = Date.now() + 30_000;
    while (sessions.length === before) {
      if (Date.now() > end) throw new Error('no relay session');
      await new Promise((r) => setTimeout(r, 50));
    }
    return sessions.at(-1)!;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'power-cut-'));
    air = await VirtualAir.startHosts([
      { name: 'dev', position: { x: 0, y: 0 } },
      { name: 'br', position: { x: 2, y: 0 } },
    ]);
    backend = await embeddedServices({ clock: testClock(new Date()) });
    const credentials = await provisionDevice(backend.services);
    saveDeviceCredentials(join(dir, PROVISIONING_FILE), credentials);
    const store = new SqliteRelayBatchStore(join(dir, 'device.db'), { sealer: new BatchSealer(credentials) });
    store.addObservations(await heardObservations(backend.services, 50), Date.now());
    store.addObservations(await heardObservations(backend.services, 10), Date.now());
    store.sealBatch('1', 50, Date.now());
    store.sealBatch('2', 50, Date.now());
    store.close();
    bridge = await HciRadio.create({ scanner: { uart: air.path('br-scan') }, advertiser: { uart: air.path('br-adv') }, logger: silentLogger });
    await bridge.start();
    relay = new RelayCoordinator(bridge.gattCentral(), inProcessRelayApi(backend.services), { cooldownMs: 0, beforeAck: () => cut?.() ?? Promise.resolve() });
    bridge.onReport((data, _rssi, address) => {
      const advert = decodeAdvert(data, DEFAULT_SERVICE_UUID);
      if (advert.status === 'ok' && (advert.flags ?? 0) & ADVERT_FLAG_RELAY_PENDING) relay.noticed(address);
    });
    const relayFrom = relay.relayFrom.bind(relay);
    relay.relayFrom = async (address) => {
      const outcome = await relayFrom(address);
      sessions.push(outcome);
      return outcome;
    };
    await bridge.startScan();
  });

  afterAll(async () => {
    await Promise.all(devices.map((d) => d.kill()));
    await bridge?.close();
    await air?.stop();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the backend stored both batches, the ack never arrived, the device still holds both', async () => {
    const first = startDevice();
    cut = async () => {
      cut = undefined;
      await first.kill();
    };
    const session = await nextSession();
    expect(session.kind).toBe('failed'); // the ack could not be written: the device was gone
    expect(await backend.services.queue.stats()).toMatchObject({ backlog: 2 });
    expect(heldOnDisk()).toBe(2);
  });

  it('after the restart it hands them over again; the backend knows them, acknowledges, and they are freed', async () => {
    const second = startDevice();
    let session = await nextSession();
    while (session.kind === 'failed') session = await nextSession(); // a session can race the restart's first advertisement
    expect(session).toMatchObject({ kind: 'relayed', collected: 2, ackWritten: true, pendingAfter: 0 });
    if (session.kind === 'relayed') expect(session.results.map((r) => `${r.status} ${r.outcome}`)).toEqual(['200 duplicate', '200 duplicate']);
    expect(await backend.services.queue.stats()).toMatchObject({ backlog: 2 });
    await second.waitForLog('batches acknowledged by the backend');
    await second.stop();
    expect(heldOnDisk()).toBe(0);
  });
});
