import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inheritedEnv } from '../../support/child-env.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';
import { ensureSystemTool } from '../../support/system-tool.js';

const SCRIPT = resolve(import.meta.dirname, '../../../backend/examples/quickstart.sh');
const ROOT = resolve(import.meta.dirname, '../../..');

/** README's quick start, run as a user pastes it: the script against `npm start`'s program. */
describe('backend/examples/quickstart.sh', { timeout: 240_000 }, () => {
  let server: LocalServer;
  beforeAll(async () => {
    ensureSystemTool('jq');
    // A one-minute threshold: near the start of a token window the script waits for the encounter to be long enough.
    server = await startLocalServer({ env: { DEV_SMS_ECHO: '1', OFFICIAL_PHONE_NUMBERS: '+15550100999', EXPOSURE_MIN_MINUTES: '1' } });
  }, 120_000);
  afterAll(() => server?.stop());

  const run = (args: string[] = []) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn('bash', [SCRIPT, ...args], { cwd: ROOT, env: { ...inheritedEnv(), QUICKSTART_API: server.url, QUICKSTART_ENCOUNTER_MINUTES: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('error', fail);
      child.once('exit', (code) => done({ code, stdout, stderr }));
    });

  it('runs the whole flow: sign-in, tokens, contacts, official code, infection, warning, refresh, erasure', async () => {
    const { code, stdout, stderr } = await run();
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/"kind":"exposure","degree":1/);
    expect(stdout).toMatch(/"erased":\{"tokens":2,"contacts":1,/);
    expect(stdout).toContain('quickstart: done');
  });

  it('answers --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('DEV_SMS_ECHO=1');
  });
});
