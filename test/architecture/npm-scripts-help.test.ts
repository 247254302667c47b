import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inheritedEnv } from '../support/child-env.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const scripts = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Every `npm run` script that runs one of our programs (tsx <file>, `npm test` too): vitest and tsc have their own --help. */
const programs = Object.entries(scripts).flatMap(([name, command]) => {
  const match = /^tsx (\S+)(.*)$/.exec(command);
  return match ? [{ name, file: match[1]!, args: match[2]!.trim().split(/\s+/).filter(Boolean) }] : [];
});

function help(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(TSX, [file, ...args, '--help'], { cwd: ROOT, env: inheritedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('every npm run script answers --help', { timeout: 180_000 }, () => {
  it('lists at least the programs README names', () => {
    expect(programs.map((p) => p.name)).toEqual(expect.arrayContaining(['start', 'test', 'bridge', 'loadtest', 'bench:ingest', 'bench:bridge', 'dead-letters']));
  });

  // A few at a time: each is a cold tsx start, slow on a loaded machine.
  it.concurrent.each(programs)('$name -- --help prints what it does and exits 0 without doing it', async ({ file, args }) => {
    const { code, stdout, stderr } = await help(file, args);
    expect(code, stderr).toBe(0);
    expect(stdout.length, 'a usage text').toBeGreaterThan(80);
    expect(stdout).toMatch(/usage|npm (run|start)|--/i);
  });
});
