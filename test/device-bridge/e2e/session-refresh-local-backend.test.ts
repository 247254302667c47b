import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeApiClient } from '../../../device-bridge/src/upload/api-client.js';
import { AuthSession, MemoryCredentialStore } from '../../../device-bridge/src/upload/auth-session.js';
import { JsonHttp } from '../../../device-bridge/src/upload/http.js';
import { SignInFlow } from '../../../device-bridge/src/upload/sign-in-flow.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';
import { MemoryPendingStore } from '../support/api.js';

const MINUTE = 60_000;

/**
 * The bridge's session against the real local stack (the unit tests use a fake backend): when its
 * access token nears expiry it renews through the server's POST /v1/auth/refresh, whose rotation
 * the server really performs, and signs in by SMS only once.
 */
describe('the bridge renews its session with the real backend', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer();
  }, 60_000);
  afterAll(() => server?.stop());

  it('refreshes an access token about to expire, and the server rotated the refresh token it replaced', async () => {
    let offsetMs = 0;
    const http = new JsonHttp({ baseUrl: server.url, timeoutMs: 10_000 });
    const store = new MemoryCredentialStore();
    const auth = new AuthSession(http, { store, now: () => Date.now() + offsetMs });
    const flow = new SignInFlow(http, server.url, { pending: new MemoryPendingStore(), session: auth });
    const { devCode } = await flow.requestCode('+15550100901');
    expect((await flow.enterCode(devCode!)).kind).toBe('signed_in');
    const client = new BridgeApiClient(http, auth);
    const first = store.load()!;
    expect(await client.fetchTokens(1)).toHaveLength(1);
    expect(store.load()!.refreshToken).toBe(first.refreshToken);

    // Within the bridge's refresh margin of the 1-hour token's expiry, on the bridge's clock.
    offsetMs = 59 * MINUTE;
    expect(await client.fetchTokens(1)).toHaveLength(1);
    const renewed = store.load()!;
    expect(renewed.refreshToken).not.toBe(first.refreshToken);
    expect(renewed.accessToken).not.toBe(first.accessToken);

    // The server, not the bridge, rotated it: the replaced token is now a reused one.
    const replay = await fetch(`${server.url}/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: first.refreshToken }) });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('refresh_token_reused');
  }, 60_000);
});
