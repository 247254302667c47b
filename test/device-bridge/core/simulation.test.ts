import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bridge } from '../../../device-bridge/src/core/bridge.js';
import { MemoryOutbox } from '../../../device-bridge/src/outbox/memory-outbox.js';
import { SimAir } from '../../../device-bridge/src/radio/sim/sim-air.js';
import { makeClient } from '../support/api.js';
import { startFakeBackend, type FakeBackend } from '../support/fake-backend.js';

let backend: FakeBackend;
beforeAll(async () => (backend = await startFakeBackend()));
afterAll(() => backend.stop());

describe('simulation: hundreds of bridges on one sim air', { timeout: 180_000 }, () => {
  it('every uploaded contact is between devices within radio range, and close pairs are found', async () => {
    const RANGE = 15;
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const air = new SimAir({ rangeM: RANGE, noiseSigmaDb: 2, random });
    const devices = Array.from({ length: 300 }, () => {
      const position = { x: random() * 150, y: random() * 150 };
      const radio = air.addRadio(position);
      const { client, auth } = makeClient(backend.url);
      const outbox = new MemoryOutbox();
      const bridge = new Bridge({ radio, outbox, tokenApi: client, contactsApi: client, random }, { shutdownUploadMs: 120_000 }); // generous: stop() returns once the uploads are done, however loaded the machine
      return { position, bridge, auth, outbox };
    });
    for (let i = 0; i < devices.length; i += 50) await Promise.all(devices.slice(i, i + 50).map((d) => d.bridge.start()));
    // A token fetch that failed on a loaded machine is retried: the air starts once every device advertises.
    for (let i = 0; devices.some((d) => d.bridge.stats().address === undefined); i++) {
      if (i > 6_000) throw new Error('not every bridge advertises');
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let t = 0; t < 10; t++) air.tick();
    // Stopped (and so uploaded) 50 at a time, as they started: 300 uploads at once to one server on a
    // loaded machine outlast the client's request timeout.
    for (let i = 0; i < devices.length; i += 50) await Promise.all(devices.slice(i, i + 50).map((d) => d.bridge.stop()));
    const unsent = devices.filter((d) => d.outbox.counts().batches > 0).length;
    expect(unsent).toBe(0);

    const where = new Map(devices.map((d) => [d.auth.deviceId!, d.position]));
    const dist = (a: string, b: string) => Math.hypot(where.get(a)!.x - where.get(b)!.x, where.get(a)!.y - where.get(b)!.y);
    const obs = backend.observations().filter((o) => where.has(o.observer));
    expect(obs.length).toBeGreaterThan(300);
    expect(obs.every((o) => o.owner !== undefined && o.owner !== o.observer && dist(o.observer, o.owner) <= RANGE)).toBe(true);
    // Pairs within 5 m almost surely heard each other in ten advertising events.
    const ids = [...where.keys()];
    const seen = new Set(obs.map((o) => `${o.observer}>${o.owner}`));
    let close = 0;
    let found = 0;
    for (const a of ids) for (const b of ids) if (a !== b && dist(a, b) <= 5) {
      close++;
      if (seen.has(`${a}>${b}`)) found++;
    }
    expect(close).toBeGreaterThan(50);
    expect(found).toBe(close);
    // De-duplication: one observation per (observer, token), however many of the ten events were heard.
    expect(new Set(obs.map((o) => `${o.observer}:${o.token}`)).size).toBe(obs.length);
  });
});
