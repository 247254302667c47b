import { encodeAdvert } from '../src/ble/advert-codec.js';
import { DEFAULT_SERVICE_UUID } from '../src/ble/advert-layout.js';
import { Bridge } from '../src/core/bridge.js';
import { MemoryOutbox } from '../src/outbox/memory-outbox.js';
import type { TokenApi, ContactsApi } from '../src/ports/token-api.js';
import { SimAir } from '../src/radio/sim/sim-air.js';

/** `count` distinct 31-byte advertisements (token i in bytes 12..27). */
export function buildPayloads(count: number): Buffer[] {
  const token = Buffer.alloc(16);
  return Array.from({ length: count }, (_, i) => {
    token.writeUInt32BE(i, 0);
    token.writeUInt32BE(Math.imul(i, 2654435761) >>> 0, 12);
    return encodeAdvert({ serviceUuid: DEFAULT_SERVICE_UUID, token, txPower: 0, counter: i });
  });
}

const offline: TokenApi & ContactsApi = {
  fetchTokens: async () => [],
  postContacts: async () => ({ kind: 'retry', reason: 'bench' }),
};

/** A real Bridge (real decode, cache, batcher) on an in-memory outbox and a manual clock. */
export function benchBridge(maxEntries = 200_000) {
  const clock = { t: 1_700_000_000_000, now: () => clock.t };
  const bridge = new Bridge(
    { radio: new SimAir().addRadio(), outbox: new MemoryOutbox(), tokenApi: offline, contactsApi: offline, clock },
    { cache: { idleMs: 5_000, maxDurationMs: 3 * 3_600_000, maxEntries } },
  );
  return { bridge, clock };
}

export interface ThroughputScenario {
  reports: number;
  /** Tokens in range at any time. */
  active: number;
  /** Every `churnEvery` reports, one simulated second passes, the population shifts by `churnBy` and the bridge sweeps. */
  churnEvery: number;
  churnBy: number;
}

export function runThroughput(payloads: Buffer[], s: ThroughputScenario) {
  const { bridge, clock } = benchBridge();
  const n = payloads.length;
  let base = 0;
  let sealed = 0;
  const rssi = [-45, -60, -72, -88];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < s.reports; i++) {
    bridge.handleReport(payloads[(base + (i % s.active)) % n]!, rssi[i & 3]!);
    if ((i + 1) % s.churnEvery === 0) {
      base += s.churnBy;
      if ((i + 1) % 20_000 === 0 || s.churnEvery >= 1000) {
        clock.t += 1_000;
        bridge.sweep();
      }
    }
  }
  clock.t += 60_000;
  bridge.sweep();
  bridge.batcher.flushAll(clock.t);
  const elapsedNs = Number(process.hrtime.bigint() - t0);
  const stats = bridge.stats();
  sealed = stats.outbox.batches;
  return {
    reports: s.reports,
    elapsedMs: Math.round(elapsedNs / 1e6),
    reportsPerSecond: Math.round(s.reports / (elapsedNs / 1e9)),
    sightings: stats.sightings,
    observationsFinished: stats.finished,
    batchesSealed: sealed,
  };
}
