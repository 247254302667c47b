import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAdvert } from '../src/ble/advert-codec.js';
import { DEFAULT_SERVICE_UUID } from '../src/ble/advert-layout.js';
import { ADVERT_FLAG_RELAY_PENDING } from '../src/core/bridge.js';
import { BatchSealer } from '../src/dedicated/batch-sealer.js';
import { DedicatedDevice } from '../src/dedicated/dedicated-device.js';
import { silentLogger } from '../src/ports/logger.js';
import type { RelayApi } from '../src/ports/relay-api.js';
import { HciRadio } from '../src/radio/hci/hci-radio.js';
import { RelayCoordinator } from '../src/relay/relay-coordinator.js';
import { SqliteRelayBatchStore } from '../src/store/sqlite-relay-batch-store.js';
import { embeddedServices, testClock } from '../../test/support/embedded-services.js';
import { inProcessRelayApi, provisionDevice } from '../../test/support/relay-fixtures.js';
import { VirtualAir } from '../../test/support/virtual-hci/virtual-air.js';

/**
 * Batches per second through the relay's GATT path: a dedicated device (real bleno) holding
 * `batches` full batches of 50, a bridge (real noble) collecting them 20 per connection over the
 * virtual controllers, and the backend's acceptance in this process (embedded SQLite). The time
 * the backend took is measured apart, so the GATT-only rate is reported too.
 */
export async function relayThroughput(batches: number, onProgress: (done: number) => void = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
  const air = await VirtualAir.startHosts([
      { name: 'dev', position: { x: 0, y: 0 } },
      { name: 'br', position: { x: 2, y: 0 } },
    ]);
  const backend = await embeddedServices({ clock: testClock(new Date()), env: { SQLITE_SYNCHRONOUS: 'NORMAL' } });
  const radios: HciRadio[] = [];
  try {
    const credentials = await provisionDevice(backend.services);
    const sealer = new BatchSealer(credentials);
    const store = new SqliteRelayBatchStore(join(dir, 'device.db'), { sealer, maxBatches: batches });
    const token = Buffer.from(credentials.tokens[0]!.token, 'base64url');
    for (let b = 0; b < batches; b++) {
      const now = Date.now();
      const obs = Array.from({ length: 50 }, (_, i) => ({ token: token.toString('base64url'), firstSeen: new Date(now - 600_000 - i).toISOString(), lastSeen: new Date(now).toISOString(), rssi: -60 }));
      store.addObservations(obs, now);
      store.sealBatch(String(b), 50, now);
    }
    const radio = async (name: string) => {
      const r = await HciRadio.create({ scanner: { uart: air.path(`${name}-scan`) }, advertiser: { uart: air.path(`${name}-adv`) }, logger: silentLogger, commandTimeoutMs: 5_000 });
      radios.push(r);
      return r;
    };
    const device = new DedicatedDevice({ radio: await radio('dev'), store, sealer, credentials }, { scanWatchdogMs: 3_600_000 });
    const bridge = await radio('br');
    await bridge.start();
    const backendApi = inProcessRelayApi(backend.services);
    let backendMs = 0;
    const timedApi: RelayApi = {
      postRelayBatches: async (envelopes) => {
        const t = performance.now();
        try {
          return await backendApi.postRelayBatches(envelopes);
        } finally {
          backendMs += performance.now() - t;
        }
      },
    };
    const relay = new RelayCoordinator(bridge.gattCentral(), timedApi, { cooldownMs: 0, stepTimeoutMs: 10_000 });
    bridge.onReport((data, _rssi, address) => {
      const advert = decodeAdvert(data, DEFAULT_SERVICE_UUID);
      if (advert.status === 'ok' && (advert.flags ?? 0) & ADVERT_FLAG_RELAY_PENDING) relay.noticed(address);
    });
    await bridge.startScan();
    await device.start();
    const start = performance.now();
    let firstSessionAt: number | undefined;
    // Done when every batch is freed and the last session has disconnected.
    while (store.heldCount() > 0 || air.connectionCount() > 0) {
      if (firstSessionAt === undefined && relay.stats.sessions > 0) firstSessionAt = performance.now();
      onProgress(batches - store.heldCount());
      if (performance.now() - start > 300_000) throw new Error(`relay bench stalled: ${JSON.stringify(relay.stats)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const elapsedMs = performance.now() - (firstSessionAt ?? start);
    onProgress(batches);
    await device.stop();
    store.close();
    const stats = relay.stats;
    return {
      batches,
      observationsPerBatch: 50,
      sessions: stats.sessions,
      failedSessions: stats.failedSessions,
      batchesAccepted: stats.batchesAccepted,
      elapsedMs: Math.round(elapsedMs),
      batchesPerSecond: Math.round((stats.batchesAccepted / (elapsedMs / 1000)) * 10) / 10,
      backendMs: Math.round(backendMs),
      gattBatchesPerSecond: Math.round((stats.batchesAccepted / ((elapsedMs - backendMs) / 1000)) * 10) / 10,
      aclFragmentsFromDevice: air.controller('dev-adv').aclPacketsSent,
      connections: air.connectionsEstablished,
    };
  } finally {
    await Promise.all(radios.map((r) => r.close()));
    await air.stop();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
