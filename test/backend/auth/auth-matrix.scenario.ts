import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type Operation } from '../../../backend/src/api/openapi.js';
import { ApiClient } from '../../support/api-client.js';

export const MATRIX_OFFICIAL = '+15550000100';

export interface AuthMatrixServer {
  url: string;
  /** A token signed with the provider's real key (so only the claims are wrong): the issuer's defaults, overridden by `claims`. */
  forge(claims: Record<string, unknown>): Promise<string>;
  /** An access token of a member of the officials group whose session has no second factor. */
  officialWithoutMfa(officialSubject: string): Promise<string>;
  stop(): Promise<void>;
}

type Case = [name: string, status: number, code: string, token: () => string | undefined];

/**
 * Every secured operation of the OpenAPI document (operations added later join by themselves) ×
 * every way a caller can be wrong: the documented 401 or 403, in the error shape. Run on the
 * embedded stack and on the AWS adapters against cognito-local.
 */
export function describeAuthMatrix(title: string, start: (env: Record<string, string>) => Promise<AuthMatrixServer>): void {
  describe(title, () => {
    let server: AuthMatrixServer;
    let api: ApiClient;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      server = await start({ OFFICIAL_PHONE_NUMBERS: MATRIX_OFFICIAL });
      api = new ApiClient(server.url);
      const device = await api.signIn('+15550000201');
      const official = await api.signInOfficial(MATRIX_OFFICIAL);
      const officialSubject = (JSON.parse(Buffer.from(official.accessToken.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
      const now = Math.floor(Date.now() / 1000);
      const [header, payload, signature] = device.accessToken.split('.') as [string, string, string];
      Object.assign(tokens, {
        device: device.accessToken,
        refresh: device.refreshToken,
        tampered: `${header}.${payload}.${signature.slice(0, -6)}${signature.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`,
        expired: await server.forge({ iat: now - 7200, exp: now - 3600 }),
        wrongIssuer: await server.forge({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Attacker' }),
        wrongClient: await server.forge({ client_id: 'another-app-client' }),
        idToken: await server.forge({ token_use: 'id', aud: 'another-app-client', client_id: undefined }),
        noMfa: await server.officialWithoutMfa(officialSubject),
      });
    });
    afterAll(() => server?.stop());

    const common: Case[] = [
      ['no token', 401, 'unauthorized', () => undefined],
      ['an expired token', 401, 'unauthorized', () => tokens.expired],
      ['a tampered signature', 401, 'unauthorized', () => tokens.tampered],
      ['a token of another issuer', 401, 'unauthorized', () => tokens.wrongIssuer],
      ['a token of another app client', 401, 'unauthorized', () => tokens.wrongClient],
      ['an ID token instead of an access token', 401, 'unauthorized', () => tokens.idToken],
      ['a refresh token as access token', 401, 'unauthorized', () => tokens.refresh],
    ];
    const officialOnly: Case[] = [
      ['a device (non-official) token', 403, 'forbidden', () => tokens.device],
      ['an official without the second factor', 403, 'mfa_required', () => tokens.noMfa],
    ];
    const secured = OPERATIONS.filter((op) => op.auth !== 'none');
    const matrix = secured.flatMap((op) => [...common, ...(op.auth === 'official' ? officialOnly : [])].map((c) => [`${op.method.toUpperCase()} ${op.path}`, ...c, op] as const));

    it('covers every secured operation', () => {
      expect(secured.map((op) => op.path)).toEqual(expect.arrayContaining(['/v1/tokens', '/v1/contacts', '/v1/admin/stats', '/v1/admin/verification-codes']));
    });

    it.each(matrix)('%s with %s → %i %s', async (_route, _name, status, code, token, op: Operation) => {
      const value = token();
      const response = await api.request(op.method.toUpperCase(), op.path, op.method === 'post' ? {} : undefined, value === undefined ? {} : { authorization: `Bearer ${value}` });
      expect(response.status).toBe(status);
      expect(response.body.error).toMatchObject({ code, message: expect.any(String) });
    });

    it("never reaches another device's resources: batch ids, notifications and erasure are the caller's own", async () => {
      const [a, b] = await Promise.all([api.signIn('+15550000202'), api.signIn('+15550000203')]);
      const tokenOfA = (await a.client.request('POST', '/v1/tokens', { count: 1 })).body.tokens[0].token as string;
      const tokenOfB = (await b.client.request('POST', '/v1/tokens', { count: 1 })).body.tokens[0].token as string;
      const seen = (token: string) => ({ token, firstSeen: new Date(Date.now() - 600_000).toISOString(), lastSeen: new Date(Date.now() - 60_000).toISOString() });
      const batchId = randomUUID();
      expect((await a.client.request('POST', '/v1/contacts', { batchId, observations: [seen(tokenOfB)] })).status).toBe(202);
      // The same batch id from B is B's own batch: no 409 that would reveal A's upload.
      expect((await b.client.request('POST', '/v1/contacts', { batchId, observations: [seen(tokenOfA), seen(tokenOfA)] })).status).toBe(202);
      expect((await b.client.request('DELETE', '/v1/me')).status).toBe(200);
      expect((await a.client.request('GET', '/v1/notifications')).status).toBe(200);
      expect((await b.client.request('GET', '/v1/notifications')).status).toBe(401);
    });
  });
}
