import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenVerifier } from '../../../backend/src/adapters/jwt/access-token-verifier.js';
import { InvalidAccessTokenError } from '../../../backend/src/ports/identity.js';

const ISSUER = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Example';
const CLIENT_ID = 'the-app-client';
const KID = 'key-1';
const NOW = new Date('2026-03-01T12:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

/**
 * The verifier on its own, against a key set whose key names no `alg` (as JWKS may): so the
 * verifier's own algorithm list, not the key set, is what refuses another algorithm.
 */
describe('Class: AccessTokenVerifier', () => {
  let privateJwk: JWK;
  let publicPem: string;
  let verifier: AccessTokenVerifier;
  const claims = (overrides: Record<string, unknown> = {}) =>
    Object.fromEntries(
      Object.entries({ sub: 'subject-1', username: 'subject-1', token_use: 'access', client_id: CLIENT_ID, iss: ISSUER, iat: nowSeconds - 60, exp: nowSeconds + 3540, ...overrides }).filter(
        ([, v]) => v !== undefined,
      ),
    );
  // The same RSA key, taken up for each algorithm (WebCrypto binds a key to one).
  const sign = async (alg: string, overrides: Record<string, unknown> = {}) =>
    new SignJWT(claims(overrides)).setProtectedHeader({ alg, kid: KID }).sign(await importJWK(privateJwk, alg));
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateJwk = await exportJWK(pair.privateKey);
    publicPem = await exportSPKI(pair.publicKey);
    const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, use: 'sig' }] };
    verifier = new AccessTokenVerifier({ issuer: ISSUER, jwksUri: 'https://unused.example/jwks.json', clientId: CLIENT_ID, jwks, clock: () => NOW });
  });

  it('accepts an RS256 access token of the configured issuer and app client', async () => {
    await expect(verifier.verify(await sign('RS256'))).resolves.toMatchObject({ subject: 'subject-1', groups: [] });
  });

  it.each(['RS384', 'RS512', 'PS256'])('refuses a token signed by the right key with %s', async (alg) => {
    await expect(verifier.verify(await sign(alg))).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('refuses an unsigned token (alg none)', async () => {
    await expect(verifier.verify(`${part({ alg: 'none', kid: KID })}.${part(claims())}.`)).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('refuses HS256 keyed with the public key (the algorithm-confusion forgery)', async () => {
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: KID }).sign(new TextEncoder().encode(publicPem));
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it.each([
    ['another issuer', { iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other' }],
    ['another app client', { client_id: 'another-client' }],
    ['no client_id', { client_id: undefined }],
    ['an ID token', { token_use: 'id', aud: CLIENT_ID }],
    ['an access token with an audience', { aud: CLIENT_ID }],
    ['an expired token', { iat: nowSeconds - 7200, exp: nowSeconds - 3600 }],
    ['a token issued in the future', { iat: nowSeconds + 600, exp: nowSeconds + 4200 }],
    ['a lifetime longer than a day', { iat: nowSeconds - 60, exp: nowSeconds + 2 * 86_400 }],
    ['no subject', { sub: undefined }],
  ])('refuses %s', async (_name, overrides) => {
    await expect(verifier.verify(await sign('RS256', overrides))).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });
});
