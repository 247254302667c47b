import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readableLine } from '../../../backend/src/logging/readable-line.js';
import { inheritedEnv } from '../../support/child-env.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const ANSI = /\x1b\[[0-9;]*m/g;

/** Runs `npm start`'s program on a pseudo-terminal (util-linux `script`) until it logs that it listens. */
async function startOnTerminal(env: Record<string, string>): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'proxitrace-tty-'));
  const command = `${process.execPath} --import tsx backend/src/local/main.ts`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...inheritedEnv(), PORT: '0', DATA_DIR: dataDir, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  try {
    return await new Promise<string>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const lines = output.replace(ANSI, '').split(/\r?\n/);
        const logged = lines.find((line) => line.includes('local stack listening') && !line.startsWith('Proxitrace'));
        if (logged) done(logged);
      });
      child.once('exit', (code) => fail(new Error(`exited with ${code} before listening:\n${output}`)));
    });
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((done) => (child.exitCode === null ? child.once('exit', done) : done(undefined)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('log format', { timeout: 120_000 }, () => {
  it('prints a readable line: time, level, where, message, then the fields', () => {
    const line = readableLine(
      {
        level: 'WARN',
        message: 'device erased',
        timestamp: '2026-12-02T10:11:12.345Z',
        service: 'proxitrace',
        function_name: 'DELETE /v1/me',
        function_request_id: 'adac13ba-8b9b-49a8-bca9-63cf5f45653c',
        tokens: 2,
        note: 'two words',
        counts: { contacts: 1 },
      },
      false,
    );
    expect(line).toBe('10:11:12.345 WARN  [DELETE /v1/me adac13ba] device erased  tokens=2 note="two words" counts={"contacts":1}');
  });

  it('colours the level only when asked (a terminal)', () => {
    const record = { level: 'ERROR', message: 'failed', timestamp: '2026-12-02T10:11:12.345Z' };
    expect(readableLine(record, true)).toContain('\x1b[31mERROR');
    expect(readableLine(record, false)).not.toMatch(ANSI);
  });

  it('npm start on a terminal prints readable lines', async () => {
    const line = await startOnTerminal({});
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO +local stack listening {2}url=http:\/\/127\.0\.0\.1:\d+ backend=embedded/);
  });

  it('prints JSON lines on a terminal when asked (LOG_FORMAT=json)', async () => {
    const line = await startOnTerminal({ LOG_FORMAT: 'json' });
    expect(JSON.parse(line)).toMatchObject({ level: 'INFO', message: 'local stack listening', service: 'proxitrace' });
  });
});
