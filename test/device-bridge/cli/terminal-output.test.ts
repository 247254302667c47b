import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import xterm from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inheritedEnv } from '../../support/child-env.js';
import { startFakeBackend, type FakeBackend } from '../support/fake-backend.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const COLS = 100;

/** What a person sees: the bytes written to a 100-column terminal, rendered by a terminal emulator (xterm.js). */
async function screen(bytes: Buffer): Promise<string[]> {
  const term = new xterm.Terminal({ cols: COLS, rows: 50, scrollback: 10_000, allowProposedApi: true });
  await new Promise<void>((done) => term.write(bytes, done));
  const rows: string[] = [];
  const buffer = term.buffer.active;
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i)!;
    const text = line.translateToString(true);
    if (line.isWrapped && rows.length > 0) rows[rows.length - 1] += text;
    else rows.push(text);
  }
  return rows.filter((r) => r.trim() !== '');
}

describe('the bridge on a terminal', { timeout: 60_000 }, () => {
  let backend: FakeBackend;
  let dir: string;
  beforeAll(async () => {
    backend = await startFakeBackend();
    dir = mkdtempSync(join(tmpdir(), 'bridge-tty-'));
  });
  afterAll(async () => {
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints readable log lines above one status line, never glued onto it', async () => {
    const bridge = [process.execPath, '--import', 'tsx', join(ROOT, 'device-bridge/src/cli/main.ts'),
      '--api', backend.url, '--radio', 'sim', '--sim-air', 'private', '--sim-peers', '3', '--phone', '+15550200001', '--data-dir', join(dir, 'data'),
      '--key-file', join(dir, 'store.key'), '--status-interval', '100ms', '--log-level', 'debug', '--observation-idle', '1s', '--sweep-interval', '100ms'];
    const child = spawn('python3', [join(ROOT, 'test/device-bridge/support/run-in-pty.py'), String(COLS), '--', ...bridge], { cwd: ROOT, env: inheritedEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const exited = new Promise<number | null>((done) => child.once('close', done));
    // Run until the status line has been redrawn over a few log lines, then stop it as a user would.
    const end = Date.now() + 40_000;
    while (!/cached 3/.test(Buffer.concat(chunks).toString()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const rows = await screen(Buffer.concat(chunks));
    const logLine = /^\d\d:\d\d:\d\d\.\d{3} (DEBUG|INFO |WARN |ERROR) \S/;
    const statusLine = /^tokens \d+ /;
    const logs = rows.filter((r) => logLine.test(r));
    expect(logs.length).toBeGreaterThanOrEqual(4);
    expect(logs.some((r) => r.includes('INFO  bridge started'))).toBe(true);
    expect(logs.at(-1)).toContain('bridge stopped');
    // Every row is a whole log line or the status line; the status appears once, kept at the bottom
    // while running and left on screen above the shutdown lines.
    for (const row of rows) expect(logLine.test(row) || statusLine.test(row) || /^(warning: using the SMS code|signed in as device)/.test(row), JSON.stringify(row)).toBe(true);
    for (const row of logs) expect(row).not.toContain('sightings/s');
    expect(rows.filter((r) => statusLine.test(r))).toHaveLength(1);
  });
});
