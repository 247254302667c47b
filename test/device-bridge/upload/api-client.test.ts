import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BridgeSecrets, SESSION_FILE } from '../../../device-bridge/src/store/bridge-secrets.js';
import { SignInRequiredError } from '../../../device-bridge/src/upload/auth-session.js';
import { makeClient } from '../support/api.js';
import { closedPort } from '../support/ports.js';
import { observations } from '../support/builders.js';
import { startFakeBackend, type FakeBackend } from '../support/fake-backend.js';
let backend: FakeBackend;
beforeAll(async () => (backend = await startFakeBackend()));
afterAll(() => backend.stop());
afterEach(() => {
  backend.state.interceptor = undefined;
  backend.state.down = false;
});

const failWith = (status: number, code: string, headers: Record<string, string> = {}) => {
  backend.state.interceptor = (req, res) => {
    if (req.url !== '/v1/contacts') return false;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { code, message: code, details: {} } }));
    return true;
  };
};

describe('BridgeApiClient', () => {
  const smsRequests = () => backend.requests.filter((r) => r.path === '/v1/auth/sms').length;

  it('fetches grid-aligned windows once signed in (same window → same token)', async () => {
    const { client, signIn } = makeClient(backend.url);
    await signIn();
    const first = await client.fetchTokens(3);
    const again = await client.fetchTokens(1);
    expect(first).toHaveLength(3);
    expect(again[0]).toEqual(first[0]);
    expect(first[1]!.validFrom).toBe(first[0]!.validUntil);
  });

  it('without a session it asks for a sign-in and sends no SMS', async () => {
    const { session: client } = makeClient(backend.url);
    const before = smsRequests();
    await expect(client.fetchTokens(1)).rejects.toThrow(SignInRequiredError);
    await expect(client.fetchTokens(1)).rejects.toThrow('npm run bridge -- provision --phone');
    expect(smsRequests()).toBe(before);
  });

  it('refreshes the session after a 401, without a new SMS sign-in', async () => {
    const { client, signIn } = makeClient(backend.url);
    await signIn();
    await client.fetchTokens(1);
    backend.revokeSessions();
    const [sms, refreshes] = [smsRequests(), backend.state.refreshes];
    await expect(client.fetchTokens(1)).resolves.toHaveLength(1);
    expect(smsRequests()).toBe(sms);
    expect(backend.state.refreshes - refreshes).toBe(1);
  });

  it('once the refresh token is refused the session ends: no SMS, the stored session is dropped, the error says what to do', async () => {
    const { session: client, signIn, store } = makeClient(backend.url);
    await signIn();
    await client.fetchTokens(1);
    backend.revokeRefreshTokens();
    const sms = smsRequests();
    const error = await client.fetchTokens(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInRequiredError);
    expect((error as Error).message).toMatch(/the backend ended the session \(refresh_token_invalid\); sign in again: `npm run bridge -- provision --phone/);
    await expect(client.fetchTokens(1)).rejects.toThrow(SignInRequiredError);
    expect(store.load()).toBeUndefined();
    expect(smsRequests()).toBe(sms);
  });

  it('renews the access token before it expires, and keeps each new refresh token sealed on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-creds-'));
    const short = await startFakeBackend({ accessTokenSeconds: 60 });
    try {
      const secrets = () => new BridgeSecrets(join(dir, 'data'), join(dir, 'store.key'));
      const { client, signIn } = makeClient(short.url, secrets().session);
      await signIn();
      const first = secrets().session.load()!;
      // Within two minutes of expiry: the next call refreshes first.
      await client.fetchTokens(1);
      expect(short.state.refreshes).toBe(1);
      expect(short.state.signIns).toBe(1);
      const renewed = secrets().session.load()!;
      expect(renewed.refreshToken).not.toBe(first.refreshToken);
      // On disk: 0600, and neither token in clear.
      const path = join(dir, 'data', SESSION_FILE);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain(renewed.refreshToken!);
      expect(text).not.toContain(renewed.accessToken);
      expect(readdirSync(join(dir, 'data'))).not.toContain('store.key');
      // A restarted bridge continues with the stored session.
      await makeClient(short.url, secrets().session).client.fetchTokens(1);
      expect(short.state.signIns).toBe(1);
    } finally {
      await short.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('posts contacts and reports accepted', async () => {
    const { client, signIn } = makeClient(backend.url);
    await signIn();
    await expect(client.postContacts('11111111-1111-4111-8111-111111111111', observations(2))).resolves.toEqual({ kind: 'accepted', accepted: 2, dropped: {}, clipped: 0 });
  });

  it('counts what the backend dropped by reason, including reasons it does not know yet, and what it clipped', async () => {
    const { client, signIn } = makeClient(backend.url);
    await signIn();
    const batchId = '55555555-5555-4555-8555-555555555555';
    backend.state.interceptor = (req, res) => {
      if (req.url !== '/v1/contacts') return false;
      res.writeHead(202, { 'content-type': 'application/json' });
      const dropped = [{ index: 0, reason: 'unknown_token' }, { index: 2, reason: 'unknown_token' }, { index: 3, reason: 'a_future_reason' }];
      res.end(JSON.stringify({ batchId, accepted: 2, dropped, clipped: [{ index: 1, firstSeen: '2026-12-01T10:00:00.000Z', lastSeen: '2026-12-01T10:05:00.000Z' }] }));
      return true;
    };
    expect(await client.postContacts(batchId, observations(5))).toEqual({ kind: 'accepted', accepted: 2, dropped: { unknown_token: 2, a_future_reason: 1 }, clipped: 1 });
  });

  it.each([
    [500, 'internal', 'retry'],
    [503, 'unavailable', 'retry'],
    [408, 'timeout', 'retry'],
    [429, 'rate_limited', 'retry'],
    [400, 'invalid_batch', 'permanent'],
    [413, 'too_large', 'permanent'],
    [422, 'invalid_observation', 'permanent'],
  ])('maps HTTP %i (%s) to %s', async (status, code, kind) => {
    const { client, signIn } = makeClient(backend.url);
    await signIn();
    failWith(status, code);
    const outcome = await client.postContacts('22222222-2222-4222-8222-222222222222', observations(1));
    expect(outcome.kind).toBe(kind);
    if (outcome.kind !== 'accepted') expect(outcome.reason).toContain(code);
  });

  it('reads Retry-After on 429', async () => {
    const { client, signIn } = makeClient(backend.url);
    await signIn();
    failWith(429, 'rate_limited', { 'retry-after': '7' });
    expect(await client.postContacts('33333333-3333-4333-8333-333333333333', observations(1))).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
  });

  it('treats an unreachable backend as retryable, and says why', async () => {
    const port = await closedPort();
    const { session: client, auth } = makeClient(`http://127.0.0.1:${port}`);
    auth.adopt({ accessToken: 'a', deviceId: 'd' });
    expect(await client.postContacts('44444444-4444-4444-8444-444444444444', observations(1))).toEqual({ kind: 'retry', reason: `connection refused to 127.0.0.1:${port}` });
  });
});
