import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import { InvalidAccessTokenError, type Principal } from '../../ports/identity.js';

export interface AccessTokenVerifierOptions {
  issuer: string;
  jwksUri: string;
  /** A key set known in advance (the local provider's); otherwise it is fetched from jwksUri. */
  jwks?: Jwks;
}

/**
 * Verifies Cognito-shaped access tokens (RS256, `token_use: access`, groups in `cognito:groups`).
 * The local identity provider and Cognito both go through this one verifier.
 */
/**
 * Devices send the same access token for hours, and an RSA signature check is the dearest step
 * of a small request, so verified tokens are remembered until they expire.
 */
const VERIFIED_CACHE_SIZE = 10_000;

export class AccessTokenVerifier {
  private readonly verifier;
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(options: AccessTokenVerifierOptions) {
    this.verifier = JwtRsaVerifier.create(
      {
        issuer: options.issuer,
        jwksUri: options.jwksUri,
        audience: null,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'access') throw new Error('not an access token');
          if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('no subject');
        },
      },
      !options.jwks && isLoopbackHttp(options.jwksUri) ? { jwksCache: new SimpleJwksCache({ fetcher: { fetch: fetchLoopback } }) } : undefined,
    );
    if (options.jwks) this.verifier.cacheJwks(options.jwks);
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAtMs > Date.now()) return cached.principal;
    try {
      const payload = await this.verifier.verify(token);
      const groups = payload['cognito:groups'];
      const principal: Principal = {
        subject: payload.sub as string,
        groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
      };
      this.remember(token, principal, (payload.exp ?? 0) * 1000);
      return principal;
    } catch (error) {
      throw new InvalidAccessTokenError(error instanceof Error ? error.message : 'invalid access token', { cause: error });
    }
  }

  private remember(token: string, principal: Principal, expiresAtMs: number): void {
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { principal, expiresAtMs });
  }
}

/**
 * aws-jwt-verify fetches JWKS over HTTPS only. A local stand-in (cognito-local) serves plain HTTP
 * on loopback; that, and only that, is fetched with Node's fetch.
 */
function isLoopbackHttp(uri: string): boolean {
  const { protocol, hostname } = new URL(uri);
  return protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

async function fetchLoopback(uri: string): Promise<ArrayBuffer> {
  const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
  if (response.status !== 200) throw new Error(`${uri}: status code is ${response.status}, expected 200`);
  return response.arrayBuffer();
}
