import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeSignedBatch, sha256, ZERO_HASH } from '../../../backend/src/domain/relay/relay-batch.js';
import { BatchSealer } from '../../../device-bridge/src/dedicated/batch-sealer.js';
import { SqliteRelayBatchStore } from '../../../device-bridge/src/store/sqlite-relay-batch-store.js';
import { deviceKeyPair } from '../../support/relay-fixtures.js';
import { observations } from '../support/builders.js';

const credentials = () => ({
  deviceId: '6b1f6a1e-4f7e-4a55-9a0c-0a5c1b2d3e4f',
  ...deviceKeyPair(),
  tokens: [],
  backend: { batchKeyId: 1, batchPublicKey: Buffer.alloc(32, 9), ackPublicKey: deviceKeyPair().publicKey },
  provisionedAt: 0,
});

describe('SqliteRelayBatchStore (the dedicated device’s flash)', () => {
  let dir: string;
  const open = (maxBatches = 3, dropped: unknown[] = []) =>
    new SqliteRelayBatchStore(join(dir, 'device.db'), { sealer: new BatchSealer(credentials()), maxBatches, onDropped: (d) => dropped.push(d) });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'relay-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('seals pending observations into signed batches with consecutive seqs, each naming the previous one’s hash', () => {
    const store = open();
    store.addObservations(observations(60), 1_000);
    store.sealBatch('a', 50, 2_000);
    store.sealBatch('b', 50, 3_000);
    const [one, two] = store.held().map((h) => decodeSignedBatch(h.signed));
    expect([one!.seq, two!.seq, one!.observations.length, two!.observations.length]).toEqual([1, 2, 50, 10]);
    expect(one!.prevHash.equals(ZERO_HASH)).toBe(true);
    expect(two!.prevHash.equals(one!.hash)).toBe(true);
    expect(store.held()[1]!.hash.equals(sha256(store.held()[1]!.signed))).toBe(true);
    expect(store.seqOfHash(two!.hash)).toBe(2);
    expect(store.counts()).toEqual({ pendingObservations: 0, batches: 2, dead: 0 });
    store.close();
  });

  it('seals the mean signal of each observation, what the backend scores proximity with, not the strongest', () => {
    const store = open();
    const [withMean, strongestOnly] = observations(2);
    store.addObservations([{ ...withMean!, rssi: -60, rssiMean: -67.4 }, { ...strongestOnly!, rssi: -71, rssiMean: undefined }], 1_000);
    store.sealBatch('a', 50, 1_000);
    const sealed = decodeSignedBatch(store.held()[0]!.signed).observations;
    expect(sealed.map((o) => o.rssi)).toEqual([-67, -71]);
    store.close();
  });

  it('keeps seq and chain across a restart (a power cut between two seals)', () => {
    let store = open();
    store.addObservations(observations(1), 1_000);
    store.sealBatch('a', 50, 1_000);
    const first = store.held()[0]!;
    store.close();
    store = open();
    store.addObservations(observations(1, 1), 2_000);
    store.sealBatch('b', 50, 2_000);
    const second = decodeSignedBatch(store.held()[1]!.signed);
    expect([second.seq, second.prevHash.equals(first.hash)]).toEqual([2, true]);
    store.close();
  });

  it('is bounded: sealing into a full store drops the oldest batch, reports it, and every later batch carries the count', () => {
    const dropped: unknown[] = [];
    const store = open(2, dropped);
    for (let i = 0; i < 4; i++) {
      store.addObservations(observations(5, i * 5), i);
      store.sealBatch(String(i), 50, i);
    }
    expect(store.held().map((h) => h.seq)).toEqual([3, 4]);
    expect(dropped).toEqual([{ seq: 1, observations: 5 }, { seq: 2, observations: 5 }]);
    expect(store.dropped()).toEqual({ batches: 2, observations: 10 });
    expect(decodeSignedBatch(store.held()[1]!.signed).dropped).toBe(2);
    store.close();
  });

  it('frees batches only up to the acknowledged seq', () => {
    const store = open(5);
    for (let i = 0; i < 3; i++) {
      store.addObservations(observations(1, i), i);
      store.sealBatch(String(i), 50, i);
    }
    expect(store.freeThrough(2)).toBe(2);
    expect(store.held().map((h) => h.seq)).toEqual([3]);
    expect(store.freeThrough(2)).toBe(0);
    expect(store.heldBytes()).toBe(store.held()[0]!.signed.length);
    store.close();
  });
});
