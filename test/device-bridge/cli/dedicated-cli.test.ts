import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVISIONING_FILE, saveDeviceCredentials } from '../../../device-bridge/src/dedicated/device-credentials.js';
import { deviceKeyPair } from '../../support/relay-fixtures.js';
import { BridgeProcess } from '../support/bridge-process.js';
import { startFakeBackend, type FakeBackend } from '../support/fake-backend.js';

let dir: string;
let backend: FakeBackend;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dedicated-cli-'));
  backend = await startFakeBackend();
});
afterAll(async () => {
  await backend.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('dedicated device and provisioning CLIs', { timeout: 30_000 }, () => {
  it('npm run provision -- --help lists every flag and says what happens when the bundle runs out', async () => {
    const p = new BridgeProcess('help', ['--help'], 'device-bridge/src/cli/provision.ts');
    expect(await p.exit()).toBe(0);
    const text = p.stdout.join('\n');
    for (const flag of ['--api', '--data-dir', '--owner-phone', '--owner-code', '--renew', '--erase', 'DEVICE_OWNER_PHONE']) expect(text).toContain(flag);
    expect(text).toContain('stops advertising');
  });

  it('provisioning reports every problem at once and exits 2', async () => {
    const p = new BridgeProcess('bad', ['--owner-phone', '555', '--owner-code', 'abc'], 'device-bridge/src/cli/provision.ts');
    expect(await p.exit()).toBe(2);
    const text = p.stderr.join('\n');
    for (const name of ['BRIDGE_API_URL: is required', 'DEVICE_OWNER_PHONE: must be an E.164', 'DEVICE_OWNER_CODE: must be the 6-digit code']) expect(text).toContain(name);
  });

  it('--mode dedicated needs no --api but a provisioned data directory', async () => {
    const p = new BridgeProcess('unprovisioned', ['--mode', 'dedicated', '--radio', 'sim', '--data-dir', join(dir, 'empty')]);
    expect(await p.exit()).toBe(2);
    expect(p.stderr.join('\n')).toContain('run `npm run provision` first');
  });

  it('--mode dedicated --radio sim runs offline: advertises its bundle, scans (simulated phones, which sign in through --api), prints held batches, stops on SIGTERM', async () => {
    const keys = deviceKeyPair();
    const now = Date.now();
    saveDeviceCredentials(join(dir, 'dev', PROVISIONING_FILE), {
      deviceId: '6b1f6a1e-4f7e-4a55-9a0c-0a5c1b2d3e4f',
      ...keys,
      tokens: [{ token: 'AAAAAAAAAAAAAAAAAAAAAA', validFrom: now - 60_000, validUntil: now + 3_600_000 }],
      backend: { batchKeyId: 1, batchPublicKey: Buffer.alloc(32, 9), ackPublicKey: keys.publicKey },
      provisionedAt: now,
    });
    const p = new BridgeProcess('dedicated', ['--mode', 'dedicated', '--radio', 'sim', '--data-dir', join(dir, 'dev'), '--status-interval', '200ms', '--sim-peers', '3', '--api', backend.url]);
    const status = await p.waitFor('neighbours seen', () => (p.last && p.last.cached === 3 ? (p.last as unknown as { held: number; tokens: number }) : undefined));
    expect(status).toMatchObject({ held: 0, tokens: 1 });
    expect(await p.stop()).toBe(0);
    // Shutdown finished the three observations and sealed them into one signed batch, held for a relay.
    expect(p.logs.find((l) => l.message === 'bridge stopped')?.outbox).toEqual({ pendingObservations: 0, batches: 1, dead: 0 });
  });
});
