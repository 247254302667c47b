import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/api-client.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';
import { BridgeProcess } from '../support/bridge-process.js';

const OFFICIAL = '+15550109999';
const NAMES = ['a', 'b', 'c'] as const;
const POSITIONS = { a: { x: 0, y: 0 }, b: { x: 2, y: 0 }, c: { x: 0, y: 3 } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Three real bridge processes (real noble + bleno) on one virtual air, against the real local
 * backend. Runs in order: see each other → power cut and restart → backend outage → shutdown.
 */
describe('bridges on a virtual air against the local backend', { timeout: 120_000 }, () => {
  let server: LocalServer;
  let air: VirtualAir;
  let dataRoot: string;
  let port: string;
  const bridges = new Map<string, BridgeProcess>();
  const all: BridgeProcess[] = [];

  const launch = (name: (typeof NAMES)[number]) => {
    const bridge = new BridgeProcess(name, [
      '--api', server.url,
      '--radio', 'hci',
      '--hci-scan-uart', air.path(`${name}-scan`),
      '--hci-adv-uart', air.path(`${name}-adv`),
      '--phone', `+1555010000${NAMES.indexOf(name) + 1}`,
      '--data-dir', join(dataRoot, name),
      '--status-interval', '500ms',
      '--observation-idle', '2s',
      '--flush-max-age', '2s',
      '--sweep-interval', '250ms',
      '--checkpoint-interval', '500ms',
      '--hci-adv-interval', '100ms',
      '--log-level', 'debug',
    ]);
    bridges.set(name, bridge);
    all.push(bridge);
    return bridge;
  };
  // One official session for the whole file: the authenticator is enrolled once, and SMS codes are limited per number.
  let official: Promise<ApiClient> | undefined;
  const stats = async () => {
    const client = await (official ??= new ApiClient(server.url).signInOfficial(OFFICIAL).then((session) => session.client));
    return (await client.request('GET', '/v1/admin/stats')).body as { batchesProcessed: number; observationsProcessed: number; contactsStored: number };
  };
  const uploaded = (b: BridgeProcess) => b.logs.filter((l) => l.message === 'batch uploaded').reduce((n, l) => n + (l.observations as number), 0);

  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'bridge-e2e-'));
    server = await startLocalServer({ env: { OFFICIAL_PHONE_NUMBERS: OFFICIAL } });
    port = new URL(server.url).port;
    air = await VirtualAir.start(NAMES.flatMap((n) => [
      { id: `${n}-scan`, position: POSITIONS[n] },
      { id: `${n}-adv`, position: POSITIONS[n], quirks: { disallowAdvertiseReEnable: n === 'c' } },
    ]));
    for (const n of NAMES) launch(n);
  });

  afterAll(async () => {
    await Promise.all(all.map((b) => b.kill()));
    await air?.stop();
    await server?.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  });

  it('each bridge advertises a server token from a random address and sees the other two', async () => {
    for (const [name, b] of bridges) {
      const status = await b.waitFor('two neighbours cached', () => (b.last && b.last.cached >= 2 && b.last.address ? b.last : undefined), 30_000);
      const controller = air.controller(`${name}-adv`);
      expect(controller.advertisingAddress.type).toBe(1);
      expect(status.address).toBe(Buffer.from(controller.advertisingAddress.address).reverse().toString('hex').match(/../g)!.join(':'));
      expect(status.tokens).toBeGreaterThanOrEqual(2);
    }
  });

  it('a bridge killed mid-window (power cut) restores its open observations and loses nothing', async () => {
    const a = bridges.get('a')!;
    await sleep(1_000); // a checkpoint with both neighbours is on disk
    await a.kill();
    const again = launch('a');
    const restored = await again.waitForLog('restored open observations');
    expect(restored.count).toBeGreaterThanOrEqual(2);
    await again.waitFor('scanning again', () => again.last && again.last.sightings > 0);
  });

  it('rides out a backend outage and delivers once the backend is back', async () => {
    await server.stop({ keepData: true });
    // c walks away: a and b finish their observations of c, batch them, and cannot upload.
    air.controller('c-adv').position.x = 1_000;
    air.controller('c-scan').position.x = 1_000;
    const a = bridges.get('a')!;
    await a.waitFor('a failed upload', () => a.last && a.last.outbox.batches >= 1 && typeof a.last.lastUploadError === 'string', 30_000);
    await sleep(2_000); // a few retries against a dead backend
    server = await startLocalServer({ dataDir: server.dataDir, env: { OFFICIAL_PHONE_NUMBERS: OFFICIAL, PORT: port } });
    await a.waitFor('outbox drained', () => a.last && a.last.outbox.batches === 0 && a.last.outbox.pendingObservations === 0, 60_000);
  });

  it('on shutdown every bridge uploads what it holds; the backend stores them as contacts', async () => {
    const codes = await Promise.all([...bridges.values()].filter((b) => b.running).map((b) => b.stop()));
    expect(codes.every((c) => c === 0)).toBe(true);
    for (const b of bridges.values()) {
      const stopped = b.logs.find((l) => l.message === 'bridge stopped');
      expect(stopped?.outbox).toEqual({ pendingObservations: 0, batches: 0, dead: 0 });
    }
    const sent = all.reduce((n, b) => n + uploaded(b), 0);
    let s = await stats();
    // The consumer drains in its own time; on a loaded machine that can take a while.
    for (let i = 0; i < 300 && s.observationsProcessed < sent; i++) {
      await sleep(200);
      s = await stats();
    }
    const perBridge = all.map((b) => `${b.name}:${uploaded(b)}`).join(' ');
    expect(sent, perBridge).toBeGreaterThanOrEqual(6);
    expect(s.observationsProcessed, JSON.stringify(s)).toBe(sent);
    // Six observations (each bridge saw the other two); the backend merges both directions into one
    // contact per device pair: a–b, a–c, b–c.
    expect(s.contactsStored, JSON.stringify(s)).toBeGreaterThanOrEqual(3);
  });
});
