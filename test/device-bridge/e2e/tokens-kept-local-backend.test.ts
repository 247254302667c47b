import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeSecrets, TOKENS_FILE } from '../../../device-bridge/src/store/bridge-secrets.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';
import { VirtualAir } from '../../support/virtual-hci/virtual-air.js';
import { BridgeProcess, testKeyFile } from '../support/bridge-process.js';

/**
 * README promises that prefetched tokens carry a bridge through a short outage. Here the bridge
 * is also restarted during the outage: a real bridge process (real noble and bleno on virtual
 * controllers) against the real local stack.
 */
describe('confirmed tokens are kept, sealed, and advertised after a restart during a backend outage', { timeout: 120_000 }, () => {
  let server: LocalServer;
  let air: VirtualAir;
  let root: string;
  let dataDir: string;
  let port: string;
  const processes: BridgeProcess[] = [];
  const launch = (extra: string[] = []) => {
    const p = new BridgeProcess('a', [
      '--api', server.url, '--radio', 'hci', '--hci-scan-uart', air.path('a-scan'), '--hci-adv-uart', air.path('a-adv'),
      '--phone', '+15550170001', '--data-dir', dataDir, '--status-interval', '300ms', '--hci-adv-interval', '100ms', ...extra,
    ]);
    processes.push(p);
    return p;
  };
  const stored = () => {
    const secrets = new BridgeSecrets(dataDir, testKeyFile(['--data-dir', dataDir]));
    return secrets.tokenStore(() => secrets.session.load()?.deviceId).load();
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bridge-tokens-'));
    dataDir = join(root, 'a');
    server = await startLocalServer();
    port = new URL(server.url).port;
    air = await VirtualAir.startHosts([{ name: 'a', position: { x: 0, y: 0 } }]);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await air?.stop();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps the windows the backend confirmed, sealed: no token in clear on disk', async () => {
    const a = launch();
    await a.waitFor('advertising', () => a.last?.address !== undefined && a.last.tokens >= 3, 40_000);
    expect(await a.stop()).toBe(0);
    const windows = stored();
    expect(windows.length).toBeGreaterThanOrEqual(3);
    const onDisk = readFileSync(join(dataDir, TOKENS_FILE), 'utf8');
    for (const w of windows) {
      expect(onDisk).not.toContain(w.token);
      expect(onDisk).not.toContain(Buffer.from(w.token, 'base64url').toString('hex'));
    }
  });

  it('restarted while the backend is down, it advertises the current kept window and says the backend is unreachable', async () => {
    await server.stop({ keepData: true });
    const a = launch();
    const kept = await a.waitForLog('token windows kept from the last run', 40_000);
    expect(kept.windows as number).toBeGreaterThanOrEqual(3);
    await a.waitFor('advertising', () => a.last?.address !== undefined, 40_000);
    const controller = air.controller('a-adv');
    expect(controller.advertising).toBe(true);
    // The advertised token is one of the kept windows, and the one valid now (a rotation at a
    // boundary during the test may just have moved to the next one).
    const advertised = stored().find((w) => Buffer.from(controller.advData).includes(Buffer.from(w.token, 'base64url')));
    expect(advertised).toBeDefined();
    expect(advertised!.validFrom).toBeLessThanOrEqual(Date.now());
    expect(advertised!.validUntil).toBeGreaterThan(Date.now() - 10_000);
    const unreachable = await a.waitForLog('backend unreachable: tokens not renewed', 40_000);
    expect(unreachable.reason).toBe(`connection refused to 127.0.0.1:${port}`);
    expect(await a.stop()).toBe(0);
  });

  it('without its key file the sealed files stay shut: exit 2, and the message says what to do', async () => {
    const a = new BridgeProcess('a', ['--api', 'http://127.0.0.1:9', '--radio', 'sim', '--sim-peers', '0', '--data-dir', dataDir, '--key-file', join(root, 'other.key')]);
    expect(await a.exit()).toBe(2);
    const text = a.stderr.join('\n');
    expect(text).toContain(`cannot open the bridge's sealed files: ${join(root, 'other.key')}: no such key file`);
    expect(text).toContain('restore the key file');
  });
});
