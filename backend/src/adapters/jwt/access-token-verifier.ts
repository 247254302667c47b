import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
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
export class AccessTokenVerifier {
  private readonly verifier;

  constructor(options: AccessTokenVerifierOptions) {
    this.verifier = JwtRsaVerifier.create({
      issuer: options.issuer,
      jwksUri: options.jwksUri,
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new Error('not an access token');
        if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('no subject');
      },
    });
    if (options.jwks) this.verifier.cacheJwks(options.jwks);
  }

  async verify(token: string): Promise<Principal> {
    try {
      const payload = await this.verifier.verify(token);
      const groups = payload['cognito:groups'];
      return {
        subject: payload.sub as string,
        groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
      };
    } catch (error) {
      throw new InvalidAccessTokenError(error instanceof Error ? error.message : 'invalid access token', { cause: error });
    }
  }
}
