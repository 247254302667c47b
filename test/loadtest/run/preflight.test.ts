import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLoadOptions } from '../../../loadtest/src/config/load-options.js';
import { HttpTarget } from '../../../loadtest/src/http/http-target.js';
import { credentialSource } from '../../../loadtest/src/run/credential-source.js';
import { PreflightError, preflight } from '../../../loadtest/src/run/preflight.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';

const OFFICIAL = '+447700900001';
/** --out of every run here: where the official's session would be kept. */
const RUNS = mkdtempSync(join(tmpdir(), 'loadtest-preflight-runs-'));

/** The preflight's problems for these flags, or [] when it passes. */
async function problemsOf(flags: Record<string, string>, devices = 20): Promise<string[]> {
  const parsed = parseLoadOptions({ out: RUNS, ...flags });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const target = new HttpTarget(parsed.options.target, 4);
  try {
    const credentials = credentialSource(parsed.options, target);
    await preflight({ targetUrl: parsed.options.target, target, credentials, devices, runEndsAtMs: Date.now() + 60_000 });
    return [];
  } catch (error) {
    if (error instanceof PreflightError) return error.problems;
    throw error;
  } finally {
    await target.destroy();
  }
}

describe('Function: preflight', () => {
  let api: FakeApi;
  let notTheApi: ReturnType<typeof createServer>;
  let notTheApiUrl: string;
  let closedPortUrl: string;
  const dir = mkdtempSync(join(tmpdir(), 'loadtest-preflight-'));

  beforeAll(async () => {
    api = await startFakeApi({ officialPhone: OFFICIAL });
    notTheApi = createServer((_req, res) => res.writeHead(404).end('<html>not found</html>'));
    await new Promise<void>((r) => notTheApi.listen(0, '127.0.0.1', r));
    notTheApiUrl = `http://127.0.0.1:${(notTheApi.address() as AddressInfo).port}`;
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  afterAll(async () => {
    await api.stop();
    await new Promise<void>((r) => notTheApi.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
    rmSync(RUNS, { recursive: true, force: true });
  });

  it('passes with a target that answers and a real official', async () => {
    expect(await problemsOf({ target: api.url, 'official-phone': OFFICIAL })).toEqual([]);
  });

  it('names a target that refuses connections, in one line', async () => {
    const port = new URL(closedPortUrl).port;
    expect(await problemsOf({ target: closedPortUrl })).toEqual([
      `--target ${closedPortUrl}: connection refused by 127.0.0.1:${port}: is the server running on that port?`,
    ]);
  });

  it('names a target that is not the API', async () => {
    expect(await problemsOf({ target: notTheApiUrl })).toEqual([
      `--target ${notTheApiUrl}: GET /health answered 404, not the API's {"status":"ok"}: is this the Proxitrace API (with its stage, e.g. /prod)?`,
    ]);
  });

  it('refuses an --official-phone the server does not treat as an official, before any load', async () => {
    const [problem, ...rest] = await problemsOf({ target: api.url, 'official-phone': '+447700900999' });
    expect(rest).toEqual([]);
    expect(problem).toBe(
      "--official-phone +447700900999: cannot sign in: the server issued no code for it: it is not one of the server's OFFICIAL_PHONE_NUMBERS, or the server runs without DEV_SMS_ECHO=1",
    );
  });

  it('reports every failed check of a good target at once', async () => {
    const fewUsers = join(dir, 'few.json');
    writeFileSync(fewUsers, JSON.stringify({ region: 'r', clientId: 'c', users: [{ accessToken: expiringJwt(30) }] }));
    expect(await problemsOf({ target: api.url, credentials: fewUsers }, 2)).toEqual([
      expect.stringMatching(/^--devices 2: the Cognito test users of .*few\.json \(1 users, client c, USER_PASSWORD_AUTH\) can sign in at most 1 devices \(one user each; add users to the file or lower --devices\)$/),
      '1 issued access token(s) (first: user 1) expire before the run ends and have no refresh token: add their refreshToken, or a username and password, to --credentials',
    ]);
  });

  it('refuses a sign-up population larger than the fictional numbers can hold', async () => {
    expect(await problemsOf({ target: api.url }, 80_000)).toEqual([
      '--devices 80000: the SMS sign-up flow (server must run with DEV_SMS_ECHO=1) can sign in at most 79,999 devices (one fictional phone number each; load larger populations with --credentials)',
    ]);
  });

  it('turns a broken credentials file into a failed check', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ region: 'r', clientId: 'c', tokenUse: 'id', users: [{ username: 'u', password: 'p' }] }));
    expect(await problemsOf({ target: api.url, credentials: broken })).toEqual([
      `--credentials ${broken}: tokenUse: the API accepts only Cognito access tokens: remove "tokenUse"`,
    ]);
  });
});

function expiringJwt(seconds: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ exp: Math.floor(Date.now() / 1000) + seconds })}.`;
}
