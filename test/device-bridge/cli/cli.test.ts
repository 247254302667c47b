import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeProcess } from '../support/bridge-process.js';
import { startFakeBackend, type FakeBackend } from '../support/fake-backend.js';

let backend: FakeBackend;
let dir: string;
beforeAll(async () => {
  backend = await startFakeBackend();
  dir = mkdtempSync(join(tmpdir(), 'bridge-cli-'));
});
afterAll(async () => {
  await backend.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bridge CLI', { timeout: 30_000 }, () => {
  it('prints --help listing every flag and exits 0', async () => {
    const p = new BridgeProcess('help', ['--help']);
    expect(await p.exit()).toBe(0);
    const text = p.stdout.join('\n');
    for (const flag of ['--api', '--radio', '--flush-max-age', '--hci-scan-uart', '--key-file', '--sim-air', 'provision --code CODE']) expect(text).toContain(flag);
  });

  it('npm run bench:bridge -- --help says what it measures and exits 0, without running it', async () => {
    const p = new BridgeProcess('bench-help', ['--help'], 'device-bridge/bench/bridge-bench.ts');
    expect(await p.exit()).toBe(0);
    const text = p.stdout.join('\n');
    for (const part of ['reports per second', 'load average', 'bench-results/bridge-bench.json']) expect(text).toContain(part);
  });

  it('provision --help explains both steps', async () => {
    const p = new BridgeProcess('help', ['provision', '--help']);
    expect(await p.exit()).toBe(0);
    const text = p.stdout.join('\n');
    for (const part of ['--phone', '--code', '--resend', 'never sends an SMS on its own']) expect(text).toContain(part);
  });

  it('refuses zero durations with exit 2, naming flag and variable', async () => {
    const p = new BridgeProcess('zero', ['--api', backend.url, '--radio', 'sim', '--sim-peers', '0', '--observation-idle', '0', '--sweep-interval', '0']);
    expect(await p.exit()).toBe(2);
    const text = p.stderr.join('\n');
    expect(text).toContain('--observation-idle / BRIDGE_OBSERVATION_IDLE: must be 1s to 6h, got "0"');
    expect(text).toContain('--sweep-interval / BRIDGE_SWEEP_INTERVAL: must be 100ms to 10m, got "0"');
  });

  it('reports every configuration problem at once and exits 2', async () => {
    const p = new BridgeProcess('bad', ['--radio', 'usb', '--tx-power', '99', '--flush-max-age', 'soon']);
    expect(await p.exit()).toBe(2);
    const text = p.stderr.join('\n');
    for (const name of ['BRIDGE_API_URL', 'BRIDGE_RADIO', 'BRIDGE_TX_POWER', 'FLUSH_MAX_AGE']) expect(text).toContain(name);
  });

  it('runs with --radio sim: signs in (dev echo), its peers sign in too, uploads what it saw of their server tokens on SIGTERM', async () => {
    const p = new BridgeProcess('sim', ['--api', backend.url, '--radio', 'sim', '--phone', '+15550300001', '--data-dir', join(dir, 'sim'), '--status-interval', '300ms', '--sim-peers', '4']);
    // The bridge scans while it signs in: wait for both the peers and its tokens.
    const status = await p.waitFor('sightings and tokens', () => (p.last && p.last.sightings > 0 && p.last.cached === 4 && p.last.tokens > 0 ? p.last : undefined));
    expect(status.tokens).toBe(3);
    expect(await p.stop()).toBe(0);
    expect(p.logs.find((l) => l.message === 'batch uploaded')?.observations).toBe(4);
    // Every observation is of a token the backend issued to another device.
    const me = [...backend.batches.values()].at(-1)!.deviceId;
    const owners = new Set(backend.observations().filter((o) => o.observer === me).map((o) => o.owner));
    expect(owners.size).toBe(4);
    expect(owners.has(undefined)).toBe(false);
    expect(owners.has(me)).toBe(false);
  });
});
