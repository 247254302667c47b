import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../support/local-server.js';
import { runProvision } from '../support/bridge-process.js';

/** `npm run provision -- --erase yes` against `npm start`'s program: the owner erases a provisioned device. */
describe('the owner erases a dedicated device with npm run provision', { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof startLocalServer>>;
  let root: string;
  const dev = () => join(root, 'dev');
  const common = () => ['--api', server.url, '--data-dir', dev(), '--credentials-dir', join(root, 'provisioner'), '--phone', '+15550140001'];
  const registrations = () => {
    const db = new Database(join(server.dataDir, 'proxitrace.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM dedicated_devices').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dedicated-erase-'));
    server = await startLocalServer({ env: {} });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('erases it at the backend with its key, then deletes its provisioning file and batch store; a second run finds nothing to erase', async () => {
    const provisioned = await runProvision([...common(), '--owner-phone', '+15550140099']);
    expect(provisioned.code, provisioned.stderr).toBe(0);
    expect(registrations()).toBe(1);
    writeFileSync(join(dev(), 'device.db'), ''); // the device's batch store, as --mode dedicated leaves it

    const erased = await runProvision([...common(), '--erase', 'yes']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.result).toMatchObject({ deviceId: provisioned.result!.deviceId, erased: { tokens: 32, relayRecords: 1 } });
    expect(registrations()).toBe(0);
    expect(existsSync(join(dev(), 'provisioning.json'))).toBe(false);
    expect(existsSync(join(dev(), 'device.db'))).toBe(false);

    expect((await runProvision([...common(), '--erase', 'yes'])).code).toBe(2);
  });
});
