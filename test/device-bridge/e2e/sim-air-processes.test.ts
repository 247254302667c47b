import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/api-client.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';
import { BridgeProcess } from '../support/bridge-process.js';

const OFFICIAL = '+15550189999';

/**
 * `npm run bridge -- --radio sim` in separate processes share one simulated air over a local
 * socket: two bridges hear each other's server-issued tokens and the backend stores a contact
 * within a minute, with short settings; when the process relaying the air ends, the others elect
 * another and go on hearing each other.
 */
describe('sim bridges in separate processes share the air', { timeout: 150_000 }, () => {
  let server: LocalServer;
  let root: string;
  const air = `test-${randomBytes(4).toString('hex')}`;
  const processes: BridgeProcess[] = [];
  const launch = (name: string, position: string, extra: string[] = []) => {
    const p = new BridgeProcess(name, [
      '--api', server.url, '--radio', 'sim', '--sim-air', air, '--sim-position', position, '--sim-peers', '0',
      '--phone', `+1555019000${processes.length + 1}`, '--data-dir', join(root, name),
      '--status-interval', '300ms', '--observation-idle', '2s', '--observation-max', '10s', '--flush-max-age', '2s', '--sweep-interval', '250ms',
      ...extra,
    ]);
    processes.push(p);
    return p;
  };
  let official: ApiClient | undefined;
  const stats = async () => {
    official ??= (await new ApiClient(server.url).signInOfficial(OFFICIAL)).client;
    return (await official.request('GET', '/v1/admin/stats')).body as { contactsStored: number; observationsProcessed: number };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sim-air-'));
    server = await startLocalServer({ env: { OFFICIAL_PHONE_NUMBERS: OFFICIAL } });
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('two processes hear each other and the backend stores their contact within a minute', async () => {
    const a = launch('a', '0,0');
    const b = launch('b', '3,0');
    for (const p of [a, b]) await p.waitFor('the other bridge', () => (p.last?.cached ?? 0) >= 1, 40_000);
    // Both upload while running (observations end at --observation-max), not only at shutdown; the
    // first upload stored is enough for the contact, so the other may still be on its way then.
    const uploaded = (p: BridgeProcess) => p.logs.some((l) => l.message === 'batch uploaded');
    const seenAt = Date.now();
    let s = await stats();
    while (s.contactsStored < 1 || !uploaded(a) || !uploaded(b)) {
      if (Date.now() - seenAt > 60_000) break;
      await new Promise((r) => setTimeout(r, 500));
      s = await stats();
    }
    expect({ contactsStored: s.contactsStored >= 1, aUploaded: uploaded(a), bUploaded: uploaded(b) }).toEqual({ contactsStored: true, aUploaded: true, bUploaded: true });
  });

  it('when the process relaying the air ends, the others elect another and still hear each other', async () => {
    const [a, b] = processes as [BridgeProcess, BridgeProcess];
    const c = launch('c', '0,3');
    await c.waitFor('a and b', () => (c.last?.cached ?? 0) >= 2, 40_000);
    await a.kill(); // whichever relays the air, one of the two left does next
    await a.exit();
    const heardAfter = (p: BridgeProcess) => p.statuses.length;
    const [bFrom, cFrom] = [heardAfter(b), heardAfter(c)];
    // New sightings of each other after the kill: sightings keep growing while both are cached.
    await b.waitFor('c after the election', () => b.statuses.slice(bFrom).some((s, i, all) => i > 0 && s.sightings > all[0]!.sightings && s.cached >= 1), 40_000);
    await c.waitFor('b after the election', () => c.statuses.slice(cFrom).some((s, i, all) => i > 0 && s.sightings > all[0]!.sightings && s.cached >= 1), 40_000);
    expect(await b.stop()).toBe(0);
    expect(await c.stop()).toBe(0);
  });

  it('simulated peers sign in as devices: the bridge\'s sightings of them become contacts in the backend', async () => {
    const before = (await stats()).contactsStored;
    const d = launch('d', '100,100', ['--sim-air', 'private', '--sim-peers', '2']);
    await d.waitFor('both peers', () => (d.last?.cached ?? 0) >= 2, 40_000);
    const end = Date.now() + 60_000;
    while ((await stats()).contactsStored < before + 2) {
      if (Date.now() > end) throw new Error('no contacts with the simulated peers within a minute');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await d.stop()).toBe(0);
  });
});
