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
    for (const flag of ['--api', '--radio', '--flush-max-age', '--hci-scan-uart', '--sms-code']) expect(text).toContain(flag);
  });

  it('reports every configuration problem at once and exits 2', async () => {
    const p = new BridgeProcess('bad', ['--radio', 'usb', '--tx-power', '99', '--flush-max-age', 'soon']);
    expect(await p.exit()).toBe(2);
    const text = p.stderr.join('\n');
    for (const name of ['BRIDGE_API_URL', 'BRIDGE_RADIO', 'BRIDGE_TX_POWER', 'FLUSH_MAX_AGE']) expect(text).toContain(name);
  });

  it('runs with --radio sim: signs in, prints status lines, uploads on SIGTERM and exits 0', async () => {
    const p = new BridgeProcess('sim', ['--api', backend.url, '--radio', 'sim', '--phone', '+15550300001', '--data-dir', join(dir, 'sim'), '--status-interval', '300ms', '--sim-peers', '4']);
    // The bridge scans while it signs in: wait for both the peers and its tokens.
    const status = await p.waitFor('sightings and tokens', () => (p.last && p.last.sightings > 0 && p.last.cached === 4 && p.last.tokens > 0 ? p.last : undefined));
    expect(status.tokens).toBe(3);
    expect(await p.stop()).toBe(0);
    expect(p.logs.find((l) => l.msg === 'batch uploaded')?.observations).toBe(4);
    expect(p.logs.every((l) => typeof l.level === 'string' && typeof l.msg === 'string')).toBe(true);
  });
});
