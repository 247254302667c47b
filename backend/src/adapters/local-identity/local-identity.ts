import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { SignInChallengeError } from '../../domain/errors.js';
import {
  OFFICIALS_GROUP,
  type Identity,
  type Principal,
  type SignInChallenge,
  type SignInResult,
} from '../../ports/identity.js';
import type { AccessTokenVerifier } from '../jwt/access-token-verifier.js';
import { newSmsCode, sameSmsCodeHash, smsCodeHash, smsCodeMessage } from '../sms-code/sms-code.js';
import type { SqliteDatabase } from '../sqlite/sqlite-database.js';
import type { LocalIdentityKeys } from './local-identity-keys.js';
import type { SmsSender } from './sms-sender.js';

export const LOCAL_ISSUER = 'urn:proxitrace:local-identity';
export const LOCAL_CLIENT_ID = 'proxitrace-local-client';

export interface LocalIdentityOptions {
  officialPhoneNumbers: ReadonlySet<string>;
  accessTokenTtlSeconds: number;
  challengeTtlSeconds: number;
  maxFailedAttempts: number;
  /** Developer mode: hand the SMS code back in the response. Never in production. */
  echoCodes: boolean;
}

/**
 * Mimics Cognito's phone sign-in: a 6-digit code by SMS, then an RS256 access token shaped like
 * Cognito's. Phone numbers are kept only as keyed hashes; codes only as hashes.
 */
export class LocalIdentity implements Identity {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly keys: LocalIdentityKeys,
    private readonly verifier: AccessTokenVerifier,
    private readonly sms: SmsSender,
    private readonly options: LocalIdentityOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async startSignIn(phoneNumber: string): Promise<SignInChallenge> {
    const challengeId = randomUUID();
    const code = newSmsCode();
    const groups = this.options.officialPhoneNumbers.has(phoneNumber) ? [OFFICIALS_GROUP] : [];
    const expiresAt = this.now().getTime() + this.options.challengeTtlSeconds * 1000;
    await this.store.write(() => {
      this.store.statement('INSERT INTO identity_challenges (id, phone_hash, groups, code_hash, expires_at) VALUES (?, ?, ?, ?, ?)').run(
        challengeId,
        this.phoneHash(phoneNumber),
        JSON.stringify(groups),
        smsCodeHash(challengeId, code),
        expiresAt,
      );
    });
    await this.sms.send(phoneNumber, smsCodeMessage(code));
    return { challengeId, devCode: this.options.echoCodes ? code : undefined };
  }

  async completeSignIn(challengeId: string, code: string): Promise<SignInResult> {
    const at = this.now().getTime();
    type Outcome = { error: 'unknown' | 'expired' | 'exhausted' | 'mismatch' } | { subject: string; groups: string[] };
    const outcome = await this.store.write((): Outcome => {
      const challenge = this.store.statement('SELECT * FROM identity_challenges WHERE id = ?').get(challengeId) as
        | { phone_hash: string; groups: string; code_hash: string; expires_at: number; failed_attempts: number }
        | undefined;
      if (!challenge) return { error: 'unknown' };
      if (challenge.expires_at <= at) return { error: 'expired' };
      if (challenge.failed_attempts >= this.options.maxFailedAttempts) return { error: 'exhausted' };
      if (!sameSmsCodeHash(challenge.code_hash, smsCodeHash(challengeId, code))) {
        this.store.statement('UPDATE identity_challenges SET failed_attempts = failed_attempts + 1 WHERE id = ?').run(challengeId);
        return { error: 'mismatch' };
      }
      this.store.statement('DELETE FROM identity_challenges WHERE id = ?').run(challengeId);
      const existing = this.store.statement('SELECT subject FROM identity_users WHERE phone_hash = ?').get(challenge.phone_hash) as
        | { subject: string }
        | undefined;
      const subject = existing?.subject ?? randomUUID();
      this.store.statement(
        `INSERT INTO identity_users (subject, phone_hash, groups, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (subject) DO UPDATE SET groups = excluded.groups`,
      ).run(subject, challenge.phone_hash, challenge.groups, at);
      return { subject, groups: JSON.parse(challenge.groups) as string[] };
    });
    if ('error' in outcome) throw new SignInChallengeError(outcome.error);
    return { subject: outcome.subject, accessToken: await this.signAccessToken(outcome.subject, outcome.groups) };
  }

  verifyAccessToken(token: string): Promise<Principal> {
    return this.verifier.verify(token);
  }

  /** Forgets the user and any sign-in still pending for its phone. */
  deleteUser(subject: string): Promise<void> {
    return this.store.write(() => {
      const user = this.store.statement('SELECT phone_hash FROM identity_users WHERE subject = ?').get(subject) as { phone_hash: string } | undefined;
      if (user) this.store.statement('DELETE FROM identity_challenges WHERE phone_hash = ?').run(user.phone_hash);
      this.store.statement('DELETE FROM identity_users WHERE subject = ?').run(subject);
    });
  }

  /** Deletes challenges that can no longer be answered. */
  purgeExpiredChallenges(): Promise<number> {
    return this.store.write(() => this.store.statement('DELETE FROM identity_challenges WHERE expires_at < ?').run(this.now().getTime()).changes);
  }

  private signAccessToken(subject: string, groups: readonly string[]): Promise<string> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({
      'cognito:groups': groups,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: issuedAt,
      client_id: LOCAL_CLIENT_ID,
      username: subject,
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.keys.kid })
      .setSubject(subject)
      .setIssuer(LOCAL_ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.options.accessTokenTtlSeconds)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
  }

  private phoneHash(phoneNumber: string): string {
    return createHmac('sha256', this.keys.phoneHashSecret).update(phoneNumber).digest('base64url');
  }
}
