import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';
import { BridgeProcess } from '../support/bridge-process.js';
import { startFakeBackend, type FakeBackend } from '../support/fake-backend.js';

/**
 * Token rotation needs window boundaries, which the real backend puts at least 5 minutes apart.
 * Here the fake backend (same API contract) issues 3-second windows so two real bridge processes
 * rotate several times within a test.
 */
describe('bridges rotate tokens and addresses together (3 s windows)', { timeout: 90_000 }, () => {
  let backend: FakeBackend;
  let air: VirtualAir;
  let dataRoot: string;
  const bridges: BridgeProcess[] = [];

  beforeAll(async () => {
    dataRoot = mkdtempSync(join(tmpdir(), 'bridge-rot-'));
    backend = await startFakeBackend({ ttlMinutes: 0.05 });
    air = await VirtualAir.start(['x', 'y'].flatMap((n, i) => [
      { id: `${n}-scan`, position: { x: i * 3, y: 0 } },
      { id: `${n}-adv`, position: { x: i * 3, y: 0 } },
    ]));
    for (const [i, n] of ['x', 'y'].entries()) {
      bridges.push(
        new BridgeProcess(n, [
          '--api', backend.url,
          '--radio', 'hci',
          '--hci-scan-uart', air.path(`${n}-scan`),
          '--hci-adv-uart', air.path(`${n}-adv`),
          '--phone', `+1555020000${i}`,
          '--data-dir', join(dataRoot, n),
          '--status-interval', '500ms',
          '--observation-idle', '1s',
          '--flush-max-age', '1s',
          '--sweep-interval', '250ms',
          '--rotation-jitter', '200ms',
          '--hci-adv-interval', '100ms',
        ]),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(bridges.map((b) => b.kill()));
    await air?.stop();
    await backend?.stop();
    rmSync(dataRoot, { recursive: true, force: true });
  });

  it('each rotation brings a new server token and a new random address, and the other bridge uploads both', async () => {
    const rotations = (b: BridgeProcess) => b.logs.filter((l) => l.message === 'advertising a new token');
    for (const b of bridges) await b.waitFor('three rotations', () => rotations(b).length >= 3, 30_000);
    await Promise.all(bridges.map((b) => b.stop()));

    for (const b of bridges) {
      const addresses = rotations(b).map((l) => l.address as string);
      expect(new Set(addresses).size).toBe(addresses.length); // never the same address twice
      const setRandom = air.controller(`${b.name}-adv`).commands.filter((c) => c.opcode === 0x2005 && c.status === 0);
      expect(setRandom.length).toBeGreaterThanOrEqual(addresses.length);
      expect(b.logs.some((l) => l.message === 'batch uploaded')).toBe(true);
    }
    // Each bridge's successive tokens were observed (and uploaded) by the other one.
    const tokensByOwner = new Map<string, Set<string>>();
    for (const o of backend.observations()) {
      if (o.owner === undefined || o.owner === o.observer) continue;
      tokensByOwner.set(o.owner, (tokensByOwner.get(o.owner) ?? new Set()).add(o.token));
    }
    expect(tokensByOwner.size).toBe(2);
    for (const tokens of tokensByOwner.values()) expect(tokens.size).toBeGreaterThanOrEqual(2);
  });
});
