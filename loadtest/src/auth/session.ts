import { decodeJwt } from 'jose';

export interface IssuedTokens {
  accessToken: string;
  /** Kept from before when a refresh does not rotate it. */
  refreshToken?: string | undefined;
}

/**
 * One signed-in principal (a simulated device or the official): its current access token, and the
 * request headers the hot path sends with it, rebuilt only when the token changes.
 */
export class Session {
  accessToken = '';
  refreshToken: string | undefined;
  /** From the access token's `exp`; undefined when the token is not a JWT with one. */
  expiresAtMs: number | undefined;
  /** `exp` − `iat` of the access token, when it has both. */
  lifetimeMs: number | undefined;
  authorization = '';
  headers: Readonly<Record<string, string>> = {};
  /** Not before this (epoch ms) after a failed refresh, so a failing identity provider is not hammered. */
  retryRefreshAtMs = 0;

  /** `login` names the principal in messages: a phone number or a Cognito username. */
  constructor(
    readonly login: string,
    tokens: IssuedTokens,
  ) {
    this.update(tokens);
  }

  update(tokens: IssuedTokens): void {
    this.accessToken = tokens.accessToken;
    this.refreshToken = tokens.refreshToken ?? this.refreshToken;
    const { expiresAtMs, issuedAtMs } = accessTokenTimes(tokens.accessToken);
    this.expiresAtMs = expiresAtMs;
    this.lifetimeMs = expiresAtMs !== undefined && issuedAtMs !== undefined ? expiresAtMs - issuedAtMs : undefined;
    this.authorization = `Bearer ${tokens.accessToken}`;
    this.headers = { 'content-type': 'application/json', authorization: this.authorization };
  }
}

/** The `exp` and `iat` of a JWT in epoch milliseconds, read without verifying it (the server verifies). */
export function accessTokenTimes(token: string): { expiresAtMs?: number; issuedAtMs?: number } {
  try {
    const { exp, iat } = decodeJwt(token);
    return { ...(typeof exp === 'number' ? { expiresAtMs: exp * 1_000 } : {}), ...(typeof iat === 'number' ? { issuedAtMs: iat * 1_000 } : {}) };
  } catch {
    return {};
  }
}
