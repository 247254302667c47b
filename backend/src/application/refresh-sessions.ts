import { createHash, randomBytes } from 'node:crypto';
import { RefreshTokenError } from '../domain/errors.js';
import type { Identity, SessionGrant } from '../ports/identity.js';
import type { RefreshTokenFamilies } from '../ports/refresh-token-families.js';
import { SecretBox } from '../domain/secret-box.js';
import type { Clock } from './clock.js';

export interface SessionDeps {
  families: RefreshTokenFamilies;
  identity: Identity;
  clock: Clock;
}

/** What a sign-in or a refresh hands the client. */
export interface IssuedSession {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Single use: each refresh returns the next one. */
  refreshToken: string;
  /** When the session ends for good, however often it is refreshed. */
  refreshExpiresAt: Date;
  subject: string;
}

const FORMAT = /^rt1\.([A-Za-z0-9_-]{22})\.([1-9]\d{0,9})\.([A-Za-z0-9_-]{43})$/;

/**
 * Opens a refresh-token family for a fresh sign-in, lasting `lifetimeMs` from now. The provider's
 * own refresh token (Cognito's) is kept sealed under the client's current secret: a copy of the
 * table alone can refresh nothing.
 */
export async function openSession(deps: SessionDeps, grant: SessionGrant, lifetimeMs: number): Promise<IssuedSession> {
  const now = deps.clock();
  const id = randomBytes(16).toString('base64url');
  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + lifetimeMs);
  await deps.families.create({
    id,
    subject: grant.subject,
    generation: 1,
    secretHash: hashSecret(secret),
    upstream: grant.upstreamRefreshToken === undefined ? undefined : sealWith(secret, grant.upstreamRefreshToken),
    createdAt: now,
    expiresAt,
  });
  return { accessToken: grant.accessToken, expiresIn: grant.expiresIn, refreshToken: format(id, 1, secret), refreshExpiresAt: expiresAt, subject: grant.subject };
}

/**
 * Trades a refresh token for a new access token and the next refresh token. A token of an older
 * generation, or one used twice at once, was copied: the whole family is revoked.
 */
export async function refreshSession(deps: SessionDeps, refreshToken: string): Promise<IssuedSession> {
  const parsed = FORMAT.exec(refreshToken);
  if (!parsed) throw new RefreshTokenError('invalid');
  const [, id, generationText, secret] = parsed as unknown as [string, string, string, string];
  const generation = Number(generationText);
  const now = deps.clock();
  const family = await deps.families.find(id);
  if (!family || family.revokedAt || family.expiresAt <= now) throw new RefreshTokenError('invalid');
  if (generation < family.generation) return revokeAsReused(deps, id, now);
  if (generation > family.generation || hashSecret(secret) !== family.secretHash) throw new RefreshTokenError('invalid');
  const upstream = family.upstream === undefined ? undefined : openWith(secret, family.upstream);
  if (family.upstream !== undefined && upstream === undefined) throw new RefreshTokenError('invalid');

  let access: { accessToken: string; expiresIn: number };
  try {
    access = await deps.identity.refreshAccess(family.subject, upstream);
  } catch (error) {
    if (error instanceof RefreshTokenError) await deps.families.revoke(id, now);
    throw error;
  }
  const next = newSecret();
  const advanced = await deps.families.advance(id, generation, { secretHash: hashSecret(next), upstream: upstream === undefined ? undefined : sealWith(next, upstream) });
  if (!advanced) return revokeAsReused(deps, id, now);
  return { ...access, refreshToken: format(id, generation + 1, next), refreshExpiresAt: family.expiresAt, subject: family.subject };
}

async function revokeAsReused(deps: SessionDeps, id: string, now: Date): Promise<never> {
  await deps.families.revoke(id, now);
  throw new RefreshTokenError('reused');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function format(id: string, generation: number, secret: string): string {
  return `rt1.${id}.${generation}.${secret}`;
}

/** Cognito's refresh token, sealed under a key only the current refresh token's holder can derive. */
function sealWith(secret: string, plain: string): string {
  return new SecretBox(secret, 'refresh-upstream').seal(plain);
}

function openWith(secret: string, sealed: string): string | undefined {
  return new SecretBox(secret, 'refresh-upstream').open(sealed);
}
