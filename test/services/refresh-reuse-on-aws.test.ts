import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { startLocalServer, type LocalServer } from '../support/local-server.js';
import { awsServerEnvProvisioner, type AwsServerEnv } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();

/**
 * POST /v1/auth/refresh with BACKEND=aws: the families in DynamoDB Local, each refresh answered by
 * Cognito's REFRESH_TOKEN_AUTH (cognito-local). Reuse detection as on the embedded stack
 * (test/backend/auth/sessions-and-officials.test.ts): a copied token ends the whole family.
 */
describe('refresh-token rotation and reuse detection (AWS adapters)', () => {
  let backend: AwsServerEnv;
  let server: LocalServer;
  let api: ApiClient;
  beforeAll(async () => {
    backend = await provisioner.provision();
    server = await startLocalServer({ env: backend.env, startTimeoutMs: 60_000 });
    api = new ApiClient(server.url);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await backend?.remove();
  });

  const refresh = (refreshToken: string) => api.request('POST', '/v1/auth/refresh', { refreshToken });

  it("rotates the refresh token and returns Cognito's access token for the same subject", async () => {
    const session = await api.signIn('+15550000301');
    const next = await refresh(session.refreshToken);
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(session.refreshToken);
    const claims = decodeJwt(next.body.accessToken as string);
    expect(claims).toMatchObject({ iss: `${backend.env.COGNITO_ENDPOINT}/${backend.env.COGNITO_USER_POOL_ID}`, sub: decodeJwt(session.accessToken).sub, token_use: 'access' });
    expect((await api.withToken(next.body.accessToken as string).request('GET', '/v1/notifications')).status).toBe(200);
  });

  it('revokes the whole family when a refresh token is used twice', async () => {
    const session = await api.signIn('+15550000302');
    const next = await refresh(session.refreshToken);
    expect(next.status).toBe(200);
    const replay = await refresh(session.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('refresh_token_reused');
    const legitimate = await refresh(next.body.refreshToken as string);
    expect(legitimate.status).toBe(401);
    expect(legitimate.body.error.code).toBe('refresh_token_invalid');
  });

  it('lets only one of two concurrent refreshes with the same token win, and revokes the family', async () => {
    const session = await api.signIn('+15550000303');
    const [a, b] = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a : b;
    expect((await refresh(winner.body.refreshToken as string)).status).toBe(401);
  });
});
