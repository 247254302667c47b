import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/api-client.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';
import { BridgeProcess } from '../support/bridge-process.js';

/**
 * Rotation against the real backend with its shortest window, one minute: each bridge advertises
 * the current token, then rotates token and address at the next real boundary (≤ 60 s away).
 * The rotation test on the fake backend covers many rotations with 3-second windows.
 */
describe('bridges rotate across a real one-minute window boundary', { timeout: 4 * 60_000 }, () => {
  const OFFICIAL = '+15550109999';
  let server: LocalServer;
  let air: VirtualAir;
  let dataRoot: string;
  const bridges: BridgeProcess[] = [];

  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'bridge-rot5-'));
    server = await startLocalServer({ env: { TOKEN_TTL_MINUTES: '1', OFFICIAL_PHONE_NUMBERS: OFFICIAL } });
    air = await VirtualAir.start(['p', 'q'].flatMap((n, i) => [
      { id: `${n}-scan`, position: { x: i * 2, y: 0 } },
      { id: `${n}-adv`, position: { x: i * 2, y: 0 } },
    ]));
    for (const [i, n] of ['p', 'q'].entries()) {
      bridges.push(new BridgeProcess(n, [
        '--api', server.url, '--radio', 'hci',
        '--hci-scan-uart', air.path(`${n}-scan`), '--hci-adv-uart', air.path(`${n}-adv`),
        '--phone', `+1555040000${i}`, '--data-dir', join(dataRoot, n),
        '--status-interval', '1s', '--observation-idle', '5s', '--flush-max-age', '5s',
        '--sweep-interval', '1s', '--rotation-jitter', '1s', '--observation-max', '1m',
      ]));
    }
  });

  afterAll(async () => {
    await Promise.all(bridges.map((b) => b.kill()));
    await air?.stop();
    await server?.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  });

  it('rotates token and address at the boundary; both tokens of each bridge arrive', async () => {
    const rotations = (b: BridgeProcess) => b.logs.filter((l) => l.message === 'advertising a new token');
    for (const b of bridges) await b.waitFor('a rotation', () => rotations(b).length >= 2, 3 * 60_000);
    await new Promise((r) => setTimeout(r, 8_000)); // the old tokens go idle and are uploaded
    expect((await Promise.all(bridges.map((b) => b.stop()))).every((c) => c === 0)).toBe(true);
    for (const b of bridges) {
      const addresses = rotations(b).map((l) => l.address);
      expect(new Set(addresses).size).toBe(addresses.length);
    }
    const sent = bridges.reduce((n, b) => n + b.logs.filter((l) => l.message === 'batch uploaded').reduce((m, l) => m + (l.observations as number), 0), 0);
    expect(sent).toBeGreaterThanOrEqual(4); // two tokens each, seen by the other
    const { client } = await new ApiClient(server.url).signInOfficial(OFFICIAL);
    let stats = (await client.request('GET', '/v1/admin/stats')).body;
    for (let i = 0; i < 300 && stats.observationsProcessed < sent; i++) {
      await new Promise((r) => setTimeout(r, 200));
      stats = (await client.request('GET', '/v1/admin/stats')).body;
    }
    expect(stats.observationsProcessed).toBe(sent);
    expect(stats.contactsStored).toBeGreaterThanOrEqual(1);
  });
});
