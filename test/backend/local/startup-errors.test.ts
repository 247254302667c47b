import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inheritedEnv } from '../../support/child-env.js';

const run = promisify(execFile);
const MAIN = resolve(import.meta.dirname, '../../../backend/src/local/main.ts');

/** Runs `npm start`'s program until it exits (each case here fails at start-up). */
async function start(env: Record<string, string>, args: string[] = []) {
  try {
    await run(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...inheritedEnv(), LOG_LEVEL: 'ERROR', ...env }, timeout: 60_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('npm start fails at start-up with one line naming the setting and the fix, and exit code 2', { timeout: 120_000 }, () => {
  let dir: string;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'proxitrace-startup-'));
    busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    busyPort = (busy.address() as { port: number }).port;
    // A data directory held by a live process (this test's own).
    writeFileSync(join(dir, 'proxitrace.pid'), String(process.pid));
  });
  afterAll(() => {
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a flag instead of a variable', {}, ['--port', '3960'], /^Cannot start: Unknown option '--port'.*PORT=3960 npm start/],
    ['a busy port', { PORT: 'busy' }, [], /^Cannot start: PORT \d+ on 127\.0\.0\.1 is already in use/],
    ['a data directory in use', { DATA_DIR: 'held' }, [], /^Cannot start: DATA_DIR .* is in use by process \d+/],
    ['a HOST that is no address', { HOST: '999.1.1.1' }, [], /^Invalid configuration:\n {2}HOST \("999\.1\.1\.1"\): must be an IP address/],
    // A file where the directory should be: as root, the one way here to make a directory uncreatable.
    ['a data directory that cannot be created', { DATA_DIR: 'under-a-file' }, [], /^Cannot start: DATA_DIR .*under-a-file: cannot be created or written \(ENOTDIR\): set DATA_DIR to a directory this user can write\.$/],
  ])('%s', async (_name, env, args, message) => {
    const settings: Record<string, string> = { DATA_DIR: join(dir, 'free'), PORT: '0', ...env };
    if (settings.PORT === 'busy') settings.PORT = String(busyPort);
    if (settings.DATA_DIR === 'held') settings.DATA_DIR = dir;
    if (settings.DATA_DIR === 'under-a-file') settings.DATA_DIR = join(dir, 'proxitrace.pid', 'under-a-file');
    const { code, stderr } = await start(settings, args);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
