import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Bridge } from '../../../device-bridge/src/core/bridge.js';
import { SqliteOutbox } from '../../../device-bridge/src/outbox/sqlite-outbox.js';
import { SimAir } from '../../../device-bridge/src/radio/sim/sim-air.js';
import { MemoryCredentialStore } from '../../../device-bridge/src/upload/auth-session.js';
import { makeClient } from '../support/api.js';
import { advertFor } from '../support/builders.js';
import { startFakeBackend, type FakeBackend } from '../support/fake-backend.js';

// Short windows (1.5 s) and timers so a whole token lifecycle fits in a test.
const TTL_MIN = 0.025;
let backend: FakeBackend;
let dir: string;
const running: { bridge: Bridge; stopped: boolean }[] = [];
beforeAll(async () => {
  backend = await startFakeBackend({ ttlMinutes: TTL_MIN });
  dir = mkdtempSync(join(tmpdir(), 'bridge-core-'));
});
afterAll(async () => {
  await backend.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const r of running.splice(0)) if (!r.stopped) await r.bridge.stop();
  backend.state.down = false;
});

/** Until the bridges get there, however slow the machine: the test's own timeout is the only limit. */
const until = (condition: () => boolean) => vi.waitUntil(condition, { timeout: 25_000, interval: 20 });

function makeBridge(air: SimAir, name: string, position: { x: number; y: number }, creds = new MemoryCredentialStore()) {
  const radio = air.addRadio(position);
  const outbox = new SqliteOutbox(join(dir, `${name}.db`));
  const { client } = makeClient(backend.url, creds);
  const bridge = new Bridge(
    { radio, outbox, tokenApi: client, contactsApi: client },
    { cache: { idleMs: 300, maxDurationMs: 60_000 }, flushMaxAgeMs: 400, sweepIntervalMs: 50, checkpointIntervalMs: 100, rotationJitterMs: 50, shutdownUploadMs: 2_000 },
  );
  const entry = { bridge, stopped: false };
  running.push(entry);
  return {
    bridge,
    radio,
    stop: async () => {
      entry.stopped = true;
      await bridge.stop();
      outbox.close();
    },
  };
}

describe('Bridge (sim radio, real HTTP)', () => {
  it('advertises confirmed tokens, hears its neighbour, and uploads contacts the backend can attribute', async () => {
    const air = new SimAir({ noiseSigmaDb: 0 });
    air.start(20);
    const a = makeBridge(air, 'a1', { x: 0, y: 0 });
    const b = makeBridge(air, 'b1', { x: 2, y: 0 });
    await Promise.all([a.bridge.start(), b.bridge.start()]);
    const tokenA = a.bridge.stats().currentToken;
    expect(tokenA).toBeDefined();
    expect(backend.tokenOwner.has(tokenA!)).toBe(true);
    // Until a has rotated twice (windows of 1.5 s) and each has heard two of the other's tokens.
    const heard = (x: typeof a) => x.bridge.stats().cached + x.bridge.stats().finished;
    await until(() => a.bridge.stats().rotations >= 2 && heard(a) >= 2 && heard(b) >= 2);
    const rotations = a.bridge.stats().rotations;
    await Promise.all([a.stop(), b.stop()]);
    air.stop();
    const obs = backend.observations();
    const aSawB = obs.filter((o) => o.observer !== o.owner && o.owner !== undefined);
    expect(aSawB.length).toBeGreaterThanOrEqual(2);
    expect(new Set(obs.map((o) => o.token)).size).toBeGreaterThanOrEqual(3); // rotation: more than one token per bridge
    expect(obs.every((o) => o.rssi !== undefined && o.rssi > -70 && o.rssi < -50)).toBe(true);
    expect(rotations).toBeGreaterThanOrEqual(2);
  });

  it('de-duplicates: one neighbour in range for a whole window yields one observation per token', async () => {
    const air = new SimAir({ noiseSigmaDb: 0 });
    const observer = makeBridge(air, 'obs2', { x: 0, y: 0 });
    await observer.bridge.start();
    const stranger = air.addRadio({ x: 1, y: 0 });
    await stranger.start();
    await stranger.advertise(advertFor(42));
    for (let i = 0; i < 50; i++) air.tick();
    expect(observer.bridge.stats()).toMatchObject({ sightings: 50, cached: 1 });
    await observer.stop();
    const token = advertFor(42).subarray(12, 28).toString('base64url');
    expect(backend.observations().filter((o) => o.token === token)).toHaveLength(1);
  });

  it('counts malformed advertisements and keeps going', async () => {
    const air = new SimAir({ noiseSigmaDb: 0 });
    const observer = makeBridge(air, 'obs3', { x: 0, y: 0 });
    await observer.bridge.start();
    const junk = air.addRadio({ x: 1, y: 0 });
    await junk.start();
    const broken = Buffer.from(advertFor(1));
    broken[7] = 0x20; // service data length past the end
    await junk.advertise(broken);
    air.tick();
    await junk.advertise(advertFor(2));
    air.tick();
    expect(observer.bridge.stats()).toMatchObject({ malformed: 1, sightings: 1 });
  });

  it('restarted mid-observation with the same outbox, loses nothing', async () => {
    const air = new SimAir({ noiseSigmaDb: 0 });
    const creds = new MemoryCredentialStore();
    const first = makeBridge(air, 'restart', { x: 0, y: 0 }, creds);
    await first.bridge.start();
    const stranger = air.addRadio({ x: 1, y: 0 });
    await stranger.start();
    await stranger.advertise(advertFor(77));
    air.tick();
    backend.state.down = true; // nothing can be uploaded before the restart
    await first.stop();
    const second = makeBridge(air, 'restart', { x: 0, y: 0 }, creds);
    backend.state.down = false;
    await second.bridge.start();
    await until(() => second.bridge.stats().outbox.batches === 0);
    await second.stop();
    const token = advertFor(77).subarray(12, 28).toString('base64url');
    expect(backend.observations().filter((o) => o.token === token)).toHaveLength(1);
  });

  it('rides out a backend outage: everything seen while down arrives afterwards, once', async () => {
    const air = new SimAir({ noiseSigmaDb: 0 });
    const observer = makeBridge(air, 'outage', { x: 0, y: 0 });
    await observer.bridge.start();
    backend.state.down = true;
    const strangers = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const r = air.addRadio({ x: 1, y: i * 0.1 });
        await r.start();
        await r.advertise(advertFor(1000 + i));
        return r;
      }),
    );
    air.tick();
    for (const s of strangers) await s.close();
    // idle → batched (one full batch of 50, one aged batch of 10) → uploads fail
    await until(() => observer.bridge.stats().outbox.batches === 2);
    expect(observer.bridge.stats().outbox.batches).toBe(2);
    backend.state.down = false;
    await until(() => observer.bridge.stats().outbox.batches === 0);
    const tokens = new Set(backend.observations().map((o) => o.token));
    const expected = Array.from({ length: 60 }, (_, i) => advertFor(1000 + i).subarray(12, 28).toString('base64url'));
    expect(expected.every((t) => tokens.has(t))).toBe(true);
  });
});
