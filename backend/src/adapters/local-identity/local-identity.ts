import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { RefreshTokenError, SecondFactorError, SignInChallengeError } from '../../domain/errors.js';
import {
  OFFICIALS_GROUP,
  type Identity,
  type OfficialStanding,
  type Principal,
  type SessionGrant,
  type SignInChallenge,
  type SignInPurpose,
  type TotpEnrolment,
} from '../../ports/identity.js';
import { TtlCache } from '../cache/ttl-cache.js';
import type { AccessTokenVerifier } from '../jwt/access-token-verifier.js';
import { PhoneHasher } from '../phone-hash/phone-hash.js';
import { newSmsCode, sameSmsCodeHash, smsCodeHash, smsCodeMessage } from '../sms-code/sms-code.js';
import type { SqliteDatabase } from '../sqlite/sqlite-database.js';
import { SecretBox } from '../../domain/secret-box.js';
import { newTotpSecret, totpUri, verifyTotp } from '../totp/totp.js';
import type { LocalIdentityKeys } from './local-identity-keys.js';
import type { SmsSender } from './sms-sender.js';

export const LOCAL_ISSUER = 'urn:proxitrace:local-identity';
export const LOCAL_CLIENT_ID = 'proxitrace-local-client';

export interface LocalIdentityOptions {
  officialPhoneNumbers: ReadonlySet<string>;
  accessTokenTtlSeconds: number;
  challengeTtlSeconds: number;
  maxFailedAttempts: number;
  /** How long an official's role, as the directory holds it, may be remembered. */
  officialRoleCacheMs: number;
  /** Developer mode: hand the SMS code back in the response. Never in production. */
  echoCodes: boolean;
}

interface ChallengeRow {
  phone_hash: string;
  groups: string;
  code_hash: string;
  expires_at: number;
  failed_attempts: number;
}

interface UserRow {
  subject: string;
  groups: string;
  totp_secret: string | null;
  totp_verified_at: number | null;
  totp_last_step: number | null;
}

type Answer = { error: 'unknown' | 'expired' | 'exhausted' | 'mismatch' } | { challenge: ChallengeRow };

/** Official users are rows of their own, so an official's phone signing in as a device gets no role. */
const officialKey = (phoneKey: string) => `official:${phoneKey}`;

/**
 * Mimics Cognito's phone sign-in: a 6-digit code by SMS, then an RS256 access token shaped like
 * Cognito's. Officials add an authenticator code (TOTP, RFC 6238), whose secret is kept sealed;
 * their tokens say so in `amr`. Phone numbers are kept only as keyed hashes; codes only as hashes.
 */
export class LocalIdentity implements Identity {
  private readonly hasher: PhoneHasher;
  private readonly totpSecrets: SecretBox;
  private readonly standing: TtlCache<OfficialStanding>;

  constructor(
    private readonly store: SqliteDatabase,
    private readonly keys: LocalIdentityKeys,
    private readonly verifier: AccessTokenVerifier,
    private readonly sms: SmsSender,
    private readonly options: LocalIdentityOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.hasher = new PhoneHasher(keys.phoneHashSecret);
    this.totpSecrets = new SecretBox(keys.phoneHashSecret, 'totp-secret');
    this.standing = new TtlCache(options.officialRoleCacheMs, now);
  }

  phoneKey(phoneNumber: string): string {
    return this.hasher.key(phoneNumber);
  }

  async startSignIn(phoneNumber: string, purpose: SignInPurpose): Promise<SignInChallenge> {
    const challengeId = randomUUID();
    // Not an official: an answerable-looking challenge, but nothing is stored or sent.
    if (purpose === 'official' && !this.options.officialPhoneNumbers.has(phoneNumber)) return { challengeId };
    const code = newSmsCode();
    const groups = purpose === 'official' ? [OFFICIALS_GROUP] : [];
    const expiresAt = this.now().getTime() + this.options.challengeTtlSeconds * 1000;
    await this.store.write(() => {
      this.store
        .statement('INSERT INTO identity_challenges (id, phone_hash, groups, code_hash, expires_at, purpose) VALUES (?, ?, ?, ?, ?, ?)')
        .run(challengeId, this.phoneKey(phoneNumber), JSON.stringify(groups), smsCodeHash(challengeId, code), expiresAt, purpose);
    });
    await this.sms.send(phoneNumber, smsCodeMessage(code));
    return { challengeId, devCode: this.options.echoCodes ? code : undefined };
  }

  async challengePhoneKey(challengeId: string, purpose: SignInPurpose): Promise<string | undefined> {
    const row = this.store.read(
      () => this.store.statement('SELECT phone_hash, expires_at FROM identity_challenges WHERE id = ? AND purpose = ?').get(challengeId, purpose) as
        | { phone_hash: string; expires_at: number }
        | undefined,
    );
    return row && row.expires_at > this.now().getTime() ? row.phone_hash : undefined;
  }

  async completeSignIn(challengeId: string, code: string): Promise<SessionGrant> {
    const at = this.now().getTime();
    const subject = await this.store.write(() => {
      const answer = this.answer(challengeId, code, 'device', at);
      if ('error' in answer) return answer;
      this.deleteChallenge(challengeId);
      return { subject: this.upsertUser(answer.challenge.phone_hash, '[]', at) };
    });
    if ('error' in subject) throw new SignInChallengeError(subject.error);
    return this.grant(subject.subject, [], ['sms']);
  }

  async confirmPhone(challengeId: string, code: string): Promise<void> {
    const at = this.now().getTime();
    const outcome = await this.store.write(() => {
      const answer = this.answer(challengeId, code, 'device', at);
      if (!('error' in answer)) this.deleteChallenge(challengeId);
      return answer;
    });
    if ('error' in outcome) throw new SignInChallengeError(outcome.error);
  }

  async completeOfficialSignIn(challengeId: string, code: string, totp: string): Promise<SessionGrant> {
    const now = this.now();
    const at = now.getTime();
    type Outcome = { error: 'unknown' | 'expired' | 'exhausted' | 'mismatch' } | { secondFactor: 'mismatch' | 'not_enrolled' } | { subject: string; groups: string[] };
    const outcome = await this.store.write((): Outcome => {
      const answer = this.answer(challengeId, code, 'official', at);
      if ('error' in answer) return { error: answer.error };
      const user = this.userByKey(officialKey(answer.challenge.phone_hash));
      const secret = user?.totp_secret ? this.totpSecrets.open(user.totp_secret) : undefined;
      if (!user || !secret) return { secondFactor: 'not_enrolled' };
      const step = verifyTotp(secret, totp, now, user.totp_last_step ?? undefined);
      if (step === undefined) {
        // A wrong second factor costs the challenge an attempt, as a wrong SMS code does.
        this.store.statement('UPDATE identity_challenges SET failed_attempts = failed_attempts + 1 WHERE id = ?').run(challengeId);
        return { secondFactor: 'mismatch' };
      }
      this.deleteChallenge(challengeId);
      this.store
        .statement('UPDATE identity_users SET groups = ?, totp_last_step = ?, totp_verified_at = coalesce(totp_verified_at, ?) WHERE subject = ?')
        .run(answer.challenge.groups, step, at, user.subject);
      return { subject: user.subject, groups: JSON.parse(answer.challenge.groups) as string[] };
    });
    if ('error' in outcome) throw new SignInChallengeError(outcome.error);
    if ('secondFactor' in outcome) throw new SecondFactorError(outcome.secondFactor);
    return this.grant(outcome.subject, outcome.groups, ['sms', 'otp']);
  }

  async enrolOfficialTotp(challengeId: string, code: string): Promise<TotpEnrolment> {
    const at = this.now().getTime();
    const secret = newTotpSecret();
    const outcome = await this.store.write(() => {
      const answer = this.answer(challengeId, code, 'official', at);
      if ('error' in answer) return answer;
      this.deleteChallenge(challengeId);
      const key = officialKey(answer.challenge.phone_hash);
      if (this.userByKey(key)?.totp_verified_at) return { alreadyEnrolled: true as const };
      const subject = this.upsertUser(key, answer.challenge.groups, at);
      // Pending until the first sign-in that answers it.
      this.store.statement('UPDATE identity_users SET totp_secret = ?, totp_verified_at = NULL, totp_last_step = NULL WHERE subject = ?').run(this.totpSecrets.seal(secret), subject);
      return { subject };
    });
    if ('error' in outcome) throw new SignInChallengeError(outcome.error);
    if ('alreadyEnrolled' in outcome) throw new SecondFactorError('already_enrolled');
    return { secret, otpauthUri: totpUri(secret, `official-${outcome.subject.slice(0, 8)}`) };
  }

  async refreshAccess(subject: string): Promise<{ accessToken: string; expiresIn: number }> {
    const user = this.store.read(() => this.store.statement('SELECT * FROM identity_users WHERE subject = ?').get(subject) as UserRow | undefined);
    if (!user) throw new RefreshTokenError('invalid');
    const groups = JSON.parse(user.groups) as string[];
    const { accessToken, expiresIn } = await this.grant(subject, groups, user.totp_verified_at ? ['sms', 'otp'] : ['sms']);
    return { accessToken, expiresIn };
  }

  async revokeUpstream(): Promise<void> {
    // The local provider's sessions live only in the refresh-token families.
  }

  verifyAccessToken(token: string): Promise<Principal> {
    return this.verifier.verify(token);
  }

  async officialStanding(principal: Principal): Promise<OfficialStanding> {
    const directory = await this.standing.get(principal.subject, async () => {
      const user = this.store.read(
        () => this.store.statement('SELECT groups, totp_verified_at FROM identity_users WHERE subject = ?').get(principal.subject) as
          | { groups: string; totp_verified_at: number | null }
          | undefined,
      );
      return { official: user ? (JSON.parse(user.groups) as string[]).includes(OFFICIALS_GROUP) : false, mfa: Boolean(user?.totp_verified_at) };
    });
    return { official: directory.official, mfa: directory.mfa && principal.amr.includes('otp') };
  }

  async removeOfficialRole(phoneNumber: string): Promise<void> {
    await this.store.write(() => {
      this.store.statement("UPDATE identity_users SET groups = '[]' WHERE phone_hash = ?").run(officialKey(this.phoneKey(phoneNumber)));
    });
  }

  /** OFFICIAL_PHONE_NUMBERS at start-up: officials no longer listed lose the role. */
  async syncOfficialRoles(): Promise<number> {
    const listed = new Set([...this.options.officialPhoneNumbers].map((n) => officialKey(this.phoneKey(n))));
    return this.store.write(() => {
      const rows = this.store.statement("SELECT phone_hash FROM identity_users WHERE phone_hash LIKE 'official:%' AND groups != '[]'").all() as { phone_hash: string }[];
      const revoke = this.store.statement("UPDATE identity_users SET groups = '[]' WHERE phone_hash = ?");
      const unlisted = rows.filter((r) => !listed.has(r.phone_hash));
      for (const row of unlisted) revoke.run(row.phone_hash);
      return unlisted.length;
    });
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

  /** Inside a write: checks the code; a wrong one is counted; a right one leaves the challenge to the caller. */
  private answer(challengeId: string, code: string, purpose: SignInPurpose, at: number): Answer {
    const challenge = this.store.statement('SELECT * FROM identity_challenges WHERE id = ? AND purpose = ?').get(challengeId, purpose) as ChallengeRow | undefined;
    if (!challenge) return { error: 'unknown' };
    if (challenge.expires_at <= at) return { error: 'expired' };
    if (challenge.failed_attempts >= this.options.maxFailedAttempts) return { error: 'exhausted' };
    if (!sameSmsCodeHash(challenge.code_hash, smsCodeHash(challengeId, code))) {
      this.store.statement('UPDATE identity_challenges SET failed_attempts = failed_attempts + 1 WHERE id = ?').run(challengeId);
      return { error: 'mismatch' };
    }
    return { challenge };
  }

  private deleteChallenge(challengeId: string): void {
    this.store.statement('DELETE FROM identity_challenges WHERE id = ?').run(challengeId);
  }

  private userByKey(key: string): UserRow | undefined {
    return this.store.statement('SELECT * FROM identity_users WHERE phone_hash = ?').get(key) as UserRow | undefined;
  }

  /** Inside a write: the subject of this key's user, created on first sign-in. */
  private upsertUser(key: string, groups: string, at: number): string {
    const subject = (this.userByKey(key)?.subject) ?? randomUUID();
    this.store
      .statement(
        `INSERT INTO identity_users (subject, phone_hash, groups, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (subject) DO UPDATE SET groups = excluded.groups`,
      )
      .run(subject, key, groups, at);
    return subject;
  }

  private async grant(subject: string, groups: readonly string[], amr: readonly string[]): Promise<SessionGrant> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresIn = this.options.accessTokenTtlSeconds;
    const accessToken = await new SignJWT({
      'cognito:groups': groups,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: issuedAt,
      client_id: LOCAL_CLIENT_ID,
      username: subject,
      amr,
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.keys.kid })
      .setSubject(subject)
      .setIssuer(LOCAL_ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + expiresIn)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
    return { accessToken, expiresIn, subject };
  }
}
