/**
 * One family per sign-in: every refresh token issued from it, one generation after another. Only
 * the newest generation may be used; presenting an older one means a token was copied, and the
 * whole family is revoked. Secrets are stored only as hashes.
 */
export interface RefreshFamily {
  id: string;
  subject: string;
  /** The generation of the one refresh token that is valid now; starts at 1. */
  generation: number;
  secretHash: string;
  /** The identity provider's own refresh token (Cognito's), sealed with the current secret. */
  upstream?: string | undefined;
  createdAt: Date;
  /** Absolute end of the session: refreshing does not extend it. */
  expiresAt: Date;
  revokedAt?: Date | undefined;
}

export interface RefreshTokenFamilies {
  create(family: RefreshFamily): Promise<void>;
  find(id: string): Promise<RefreshFamily | undefined>;
  /**
   * Moves an unrevoked family from `fromGeneration` to the next generation; false when it is no
   * longer at `fromGeneration` (a concurrent refresh used the same token) or was revoked.
   */
  advance(id: string, fromGeneration: number, next: { secretHash: string; upstream?: string | undefined }): Promise<boolean>;
  revoke(id: string, now: Date): Promise<void>;
  /** Revokes every family of the subject (erasure, role removal); returns how many were live. */
  revokeAllOf(subject: string, now: Date): Promise<number>;
  /** Deletes every family of the subject, revoked or not (erasure); returns how many. */
  deleteAllOf(subject: string): Promise<number>;
  /** Deletes families past their expiry; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}
