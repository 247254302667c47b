import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bridge } from '../../../device-bridge/src/core/bridge.js';
import { BatchSealer } from '../../../device-bridge/src/dedicated/batch-sealer.js';
import { DedicatedDevice } from '../../../device-bridge/src/dedicated/dedicated-device.js';
import { MemoryOutbox } from '../../../device-bridge/src/outbox/memory-outbox.js';
import { SimAir } from '../../../device-bridge/src/radio/sim/sim-air.js';
import { RelayCoordinator } from '../../../device-bridge/src/relay/relay-coordinator.js';
import { SqliteRelayBatchStore } from '../../../device-bridge/src/store/sqlite-relay-batch-store.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';
import { heardObservations, inProcessRelayApi, provisionDevice } from '../../support/relay-fixtures.js';

const until = async (what: string, check: () => boolean) => {
  for (let i = 0; !check(); i++) {
    if (i > 500) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The same relay exchange on the simulated air (`--radio sim`): the bridge core notices the flag, the relay collects, the device frees. */
describe('relaying on the simulated air', () => {
  let dir: string;
  let backend: Awaited<ReturnType<typeof embeddedServices>>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'relay-sim-'));
    backend = await embeddedServices({ clock: testClock(new Date()) });
  });
  afterEach(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a bridge in range collects every held batch in sessions of 20 and the device frees them', async () => {
    const air = new SimAir({ noiseSigmaDb: 0 });
    const credentials = await provisionDevice(backend.services);
    const sealer = new BatchSealer(credentials);
    const store = new SqliteRelayBatchStore(join(dir, 'device.db'), { sealer });
    for (let b = 0; b < 25; b++) {
      store.addObservations(await heardObservations(backend.services, 2), Date.now());
      store.sealBatch(String(b), 50, Date.now());
    }
    const device = new DedicatedDevice({ radio: air.addRadio({ x: 0, y: 0 }), store, sealer, credentials });
    const bridgeRadio = air.addRadio({ x: 5, y: 0 });
    const relay = new RelayCoordinator(bridgeRadio.gattCentral(), inProcessRelayApi(backend.services), { cooldownMs: 0 });
    const offline = { fetchTokens: async () => Promise.reject(new Error('offline')), postContacts: async () => ({ kind: 'retry' as const, reason: 'offline' }) };
    const bridge = new Bridge({ radio: bridgeRadio, outbox: new MemoryOutbox(), tokenApi: offline, contactsApi: offline, onRelayAdvert: relay.noticed });
    await device.start();
    await bridge.start();
    const ticker = setInterval(() => air.tick(), 5);
    try {
      await until('every batch freed', () => store.heldCount() === 0 && relay.stats.sessions === 2 && relay.stats.acksWritten === 2);
      expect(relay.stats).toMatchObject({ batchesCollected: 25, batchesAccepted: 25, failedSessions: 0 });
      expect(await backend.services.queue.stats()).toMatchObject({ backlog: 25 });
      expect(device.stats().relay).toMatchObject({ connections: 2, handedOver: 25, acknowledged: 2, freed: 25 });
    } finally {
      clearInterval(ticker);
      await bridge.stop();
      await device.stop();
      store.close();
    }
  });
});
