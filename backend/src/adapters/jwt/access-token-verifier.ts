import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { InvalidAccessTokenError, type Principal } from '../../ports/identity.js';

export interface AccessTokenVerifierOptions {
  issuer: string;
  jwksUri: string;
  /** The app client whose tokens are accepted; a token of any other client of the pool is refused. */
  clientId: string;
  /** A key set known in advance (the local provider's); otherwise it is fetched from jwksUri and cached. */
  jwks?: JSONWebKeySet;
  /** The clock expiry is checked against: the one the rest of the process uses. */
  clock: () => Date;
}

/**
 * Devices send the same access token for hours, and an RSA signature check is the dearest step
 * of a small request, so verified tokens are remembered until they expire.
 */
const VERIFIED_CACHE_SIZE = 10_000;
/** Cognito signs with RS256 only; anything else (none, HS256 with the public key as secret) is refused. */
const ALGORITHMS = ['RS256'];
const CLOCK_TOLERANCE_SECONDS = 5;
/** Cognito access tokens live at most a day; a longer-lived "access token" was not minted by it. */
const MAX_LIFETIME_SECONDS = 86_400;

/**
 * Verifies Cognito-shaped access tokens: RS256 signature by a key of the issuer's JWKS, `iss`,
 * `token_use: access` and no `aud` (so neither an ID token nor a refresh token passes),
 * `client_id`, `iat`, `exp` and `nbf` against the injected clock, a lifetime of at most a day,
 * and a subject.
 * The local identity provider and Cognito both go through this one verifier. It is jose rather
 * than aws-jwt-verify because aws-jwt-verify checks expiry against the wall clock only.
 */
export class AccessTokenVerifier {
  private keys: ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(private readonly options: AccessTokenVerifierOptions) {}

  /** Built on the first token checked, not at a cold start that may never see one. */
  private keySet() {
    const { jwks, jwksUri } = this.options;
    return (this.keys ??= jwks ? createLocalJWKSet(jwks) : createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 3000 }));
  }

  async verify(token: string): Promise<Principal> {
    const now = this.options.clock();
    const cached = this.verified.get(token);
    if (cached && cached.expiresAtMs > now.getTime()) return cached.principal;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keySet(), {
        issuer: this.options.issuer,
        algorithms: ALGORITHMS,
        currentDate: now,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'sub', 'token_use', 'client_id'],
        maxTokenAge: `${MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS}s`,
      }));
    } catch (error) {
      throw new InvalidAccessTokenError(error instanceof Error ? error.message : 'invalid access token', { cause: error });
    }
    // ID tokens (token_use id, with an aud) and refresh tokens are not access tokens.
    if (payload.token_use !== 'access') throw new InvalidAccessTokenError('not an access token');
    if (payload.aud !== undefined) throw new InvalidAccessTokenError('an access token has no audience');
    if (payload.client_id !== this.options.clientId) throw new InvalidAccessTokenError('issued to another app client');
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new InvalidAccessTokenError('no subject');
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > MAX_LIFETIME_SECONDS) throw new InvalidAccessTokenError('lifetime longer than a day');
    const principal: Principal = {
      subject: payload.sub,
      username: typeof payload.username === 'string' ? payload.username : payload.sub,
      groups: strings(payload['cognito:groups']),
      amr: strings(payload.amr),
    };
    this.remember(token, principal, (payload.exp ?? 0) * 1000);
    return principal;
  }

  private remember(token: string, principal: Principal, expiresAtMs: number): void {
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { principal, expiresAtMs });
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
