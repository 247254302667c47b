import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inheritedEnv } from '../../support/child-env.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
const LOADTEST_SCRIPTS = Object.keys(scripts).filter((name) => scripts[name]!.includes('loadtest/'));

/** `npm run -s <script> -- …args` as a user types it. */
function npmRun(script: string, ...args: string[]) {
  const r = spawnSync('npm', ['run', '-s', script, '--', ...args], { cwd: ROOT, env: inheritedEnv(), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the load tool\u2019s npm scripts', () => {
  it('are the ones this test knows', () => {
    expect(LOADTEST_SCRIPTS.sort()).toEqual(['bench:loadgen', 'capacity', 'demo', 'loadtest', 'loadtest:users']);
  });

  it.each(LOADTEST_SCRIPTS)('npm run %s -- --help prints its usage and exits 0', (script) => {
    const r = npmRun(script, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: npm run ${script} -- `));
  });

  it.each(LOADTEST_SCRIPTS)('npm run %s with an unknown flag names it, points to --help and exits 2', (script) => {
    const r = npmRun(script, '--no-such-flag');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--no-such-flag'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('npm run loadtest: a failed preflight is one line, exit status 3, and no load', () => {
  let server: LocalServer;
  let out: string;
  let closedPort: number;

  beforeAll(async () => {
    server = await startLocalServer({ env: { OFFICIAL_PHONE_NUMBERS: '+447700900001' } });
    out = mkdtempSync(join(tmpdir(), 'loadtest-cli-'));
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  afterAll(async () => {
    await server?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it.each([
    [
      'an --official-phone the server does not list',
      () => ['--target', server.url, '--official-phone', '+447700900999'],
      /^preflight failed: --official-phone \+447700900999: cannot sign in: the server issued no code for it: it is not one of the server's OFFICIAL_PHONE_NUMBERS/,
    ],
    ['a target nobody listens on', () => ['--target', `http://127.0.0.1:${closedPort}`], /^preflight failed: --target http:\/\/127\.0\.0\.1:\d+: connection refused by 127\.0\.0\.1:\d+: is the server running on that port\?$/],
  ])('%s', (_case, args, line) => {
    const r = npmRun('loadtest', ...args(), '--scenario', 'smoke', '--quiet', '--out', out);
    expect(r.status).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
