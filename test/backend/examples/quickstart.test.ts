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

  it('logs each handler as itself, with its own request id, and one access line per request', async () => {
    await server.stop();
    const lines = server.logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = lines.filter((line) => line.message === 'request');
    const routeOf = new Map(access.map((line) => [line.requestId, `${String(line.method)} ${String(line.route)}`]));
    const handlerLine = (message: string) => lines.find((line) => line.message === message);

    for (const [message, route] of [['infection reported', 'POST /v1/infections'], ['device erased', 'DELETE /v1/me'], ['SMS (local stack: not sent)', 'POST /v1/auth/sms']] as const) {
      const line = handlerLine(message);
      expect(line?.function_name, message).toBe(route);
      expect(routeOf.get(line?.function_request_id), message).toBe(route);
    }
    expect(handlerLine('exposure warning issued')?.function_name).toBe('traceExposures');
    const requestIds = access.map((line) => line.requestId);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    expect(access.find((line) => line.route === '/v1/contacts')).toMatchObject({ method: 'POST', status: 202, durationMs: expect.any(Number) });
    // Access lines carry no personal data: no phone number, token or body.
    expect(access.map((line) => JSON.stringify(line)).join('\n')).not.toMatch(/\+1555|Bearer|eyJ/);
    const stopping = handlerLine('stopping');
    expect(stopping).toBeDefined();
    expect(stopping).not.toHaveProperty('function_name');
    expect(stopping).not.toHaveProperty('function_request_id');
  });

  it('answers --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('DEV_SMS_ECHO=1');
  });
});
