import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileCredentialStore } from '../../../device-bridge/src/upload/auth-session.js';
import { makeClient } from '../support/api.js';
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
  it('signs in once and fetches grid-aligned windows (same window → same token)', async () => {
    const { client } = makeClient(backend.url);
    const before = backend.state.signIns;
    const first = await client.fetchTokens(3);
    const again = await client.fetchTokens(1);
    expect(first).toHaveLength(3);
    expect(again[0]).toEqual(first[0]);
    expect(first[1]!.validFrom).toBe(first[0]!.validUntil);
    expect(backend.state.signIns - before).toBe(1);
  });

  it('refreshes the session after a 401, without a new SMS sign-in', async () => {
    const { client } = makeClient(backend.url);
    await client.fetchTokens(1);
    backend.revokeSessions();
    const [signIns, refreshes] = [backend.state.signIns, backend.state.refreshes];
    await expect(client.fetchTokens(1)).resolves.toHaveLength(1);
    expect(backend.state.signIns - signIns).toBe(0);
    expect(backend.state.refreshes - refreshes).toBe(1);
  });

  it('signs in again by SMS once the refresh token is refused', async () => {
    const { client } = makeClient(backend.url);
    await client.fetchTokens(1);
    backend.revokeRefreshTokens();
    const before = backend.state.signIns;
    await expect(client.fetchTokens(1)).resolves.toHaveLength(1);
    expect(backend.state.signIns - before).toBe(1);
  });

  it('renews the access token before it expires, and persists each new refresh token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-creds-'));
    const short = await startFakeBackend({ accessTokenSeconds: 60 });
    try {
      const path = join(dir, 'credentials.json');
      const store = new FileCredentialStore(path);
      const { client } = makeClient(short.url, store);
      await client.fetchTokens(1);
      const first = store.load()!;
      // Within two minutes of expiry: the next call refreshes first.
      await client.fetchTokens(1);
      expect(short.state.refreshes).toBe(1);
      expect(short.state.signIns).toBe(1);
      expect(store.load()!.refreshToken).not.toBe(first.refreshToken);
      // A restarted bridge continues with the stored session.
      await makeClient(short.url, new FileCredentialStore(path)).client.fetchTokens(1);
      expect(short.state.signIns).toBe(1);
    } finally {
      await short.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('persists credentials in a 0600 file so a restart needs no new sign-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-creds-'));
    try {
      const path = join(dir, 'credentials.json');
      await makeClient(backend.url, new FileCredentialStore(path)).client.fetchTokens(1);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const before = backend.state.signIns;
      await makeClient(backend.url, new FileCredentialStore(path)).client.fetchTokens(1);
      expect(backend.state.signIns).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('posts contacts and reports accepted', async () => {
    const { client } = makeClient(backend.url);
    await expect(client.postContacts('11111111-1111-4111-8111-111111111111', observations(2))).resolves.toEqual({ kind: 'accepted', accepted: 2 });
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
    const { client } = makeClient(backend.url);
    failWith(status, code);
    const outcome = await client.postContacts('22222222-2222-4222-8222-222222222222', observations(1));
    expect(outcome.kind).toBe(kind);
    if (outcome.kind !== 'accepted') expect(outcome.reason).toContain(code);
  });

  it('reads Retry-After on 429', async () => {
    const { client } = makeClient(backend.url);
    failWith(429, 'rate_limited', { 'retry-after': '7' });
    expect(await client.postContacts('33333333-3333-4333-8333-333333333333', observations(1))).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
  });

  it('treats an unreachable backend as retryable', async () => {
    const { client } = makeClient('http://127.0.0.1:9');
    expect((await client.postContacts('44444444-4444-4444-8444-444444444444', observations(1))).kind).toBe('retry');
  });
});
