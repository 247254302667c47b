import { decodeJwt, decodeProtectedHeader } from 'jose';
import { generateSync } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RefreshTokenError, SecondFactorError, SignInChallengeError } from '../../../backend/src/domain/errors.js';
import { InvalidAccessTokenError, OFFICIALS_GROUP, type Identity } from '../../../backend/src/ports/identity.js';
import { testClock, type TestClock } from '../../support/embedded-services.js';

export const CONTRACT_OFFICIAL = '+15550000100';

export interface IdentityHarness {
  identity: Identity;
  /** The `iss` of the access tokens. */
  issuer: string;
  /** The clock the provider checks authenticator codes against (Cognito's own is the real one). */
  totpClock: () => Date;
  close(): Promise<void>;
}

/** The authenticator app: the code of `secret` at `at`. */
export function totpCode(secret: string, at: Date): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * The behaviour every Identity adapter shares (local provider, Cognito): phone sign-in with a
 * one-time code (echoed: DEV_SMS_ECHO), Cognito-shaped RS256 access tokens with no phone number
 * in them, officials through their own flow with an authenticator (TOTP) and the officials group
 * for CONTRACT_OFFICIAL, refreshable sessions, a five-attempt limit and a 300-second challenge
 * lifetime on `clock`.
 */
export function describeIdentityContract(name: string, make: (clock: TestClock) => Promise<IdentityHarness>): void {
  describe(`Identity contract: ${name}`, () => {
    let h: IdentityHarness;
    let clock: TestClock;
    beforeEach(async () => {
      clock = testClock(new Date());
      h = await make(clock);
    });
    afterEach(() => h.close());

    const signIn = async (phone: string) => {
      const challenge = await h.identity.startSignIn(phone, 'device');
      return h.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
    };
    const enrol = async (phone: string) => {
      const challenge = await h.identity.startSignIn(phone, 'official');
      return h.identity.enrolOfficialTotp(challenge.challengeId, challenge.devCode!);
    };
    const officialSignIn = async (phone: string, secret: string) => {
      const challenge = await h.identity.startSignIn(phone, 'official');
      return h.identity.completeOfficialSignIn(challenge.challengeId, challenge.devCode!, totpCode(secret, h.totpClock()));
    };

    it('issues RS256 access tokens shaped like Cognito’s, with no phone number in them', async () => {
      const phone = '+15550000150';
      const { accessToken, subject, expiresIn } = await signIn(phone);
      expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
      const claims = decodeJwt(accessToken);
      expect(claims).toMatchObject({ sub: subject, token_use: 'access', iss: h.issuer });
      expect(JSON.stringify(claims)).not.toContain(phone.slice(1));
      expect(expiresIn).toBeGreaterThan(0);
      expect(await h.identity.verifyAccessToken(accessToken)).toMatchObject({ subject, groups: [] });
    });

    it('gives the same subject to the same phone and no groups to devices, an official’s phone included', async () => {
      const first = await signIn('+15550000200');
      const second = await signIn('+15550000200');
      expect(second.subject).toBe(first.subject);
      expect((await h.identity.verifyAccessToken(second.accessToken)).groups).toEqual([]);
      expect((await h.identity.verifyAccessToken((await signIn(CONTRACT_OFFICIAL)).accessToken)).groups).toEqual([]);
    });

    it('signs an official in with the SMS code and the enrolled authenticator; the directory shows role and second factor', async () => {
      const { secret, otpauthUri } = await enrol(CONTRACT_OFFICIAL);
      expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      expect(otpauthUri).not.toContain(CONTRACT_OFFICIAL.slice(1));
      const session = await officialSignIn(CONTRACT_OFFICIAL, secret);
      const principal = await h.identity.verifyAccessToken(session.accessToken);
      expect(principal.groups).toEqual([OFFICIALS_GROUP]);
      expect(await h.identity.officialStanding(principal)).toEqual({ official: true, mfa: true });
      expect(session.subject).not.toBe((await signIn(CONTRACT_OFFICIAL)).subject);
    });

    it('refuses a wrong authenticator code, and a second enrolment once one is confirmed', async () => {
      const { secret } = await enrol(CONTRACT_OFFICIAL);
      const challenge = await h.identity.startSignIn(CONTRACT_OFFICIAL, 'official');
      const right = totpCode(secret, h.totpClock());
      const wrong = right === '000000' ? '000001' : '000000';
      await expect(h.identity.completeOfficialSignIn(challenge.challengeId, challenge.devCode!, wrong)).rejects.toMatchObject({ code: 'totp_mismatch' });
      clock.advance(30_000);
      await officialSignIn(CONTRACT_OFFICIAL, secret);
      await expect(enrol(CONTRACT_OFFICIAL)).rejects.toMatchObject({ code: 'totp_already_enrolled' });
    });

    it('sends nothing to a number that is no official’s, and its challenge cannot be answered', async () => {
      const challenge = await h.identity.startSignIn('+15550000250', 'official');
      expect(challenge.devCode).toBeUndefined();
      expect(await h.identity.challengePhoneKey(challenge.challengeId, 'official')).toBeUndefined();
      await expect(h.identity.enrolOfficialTotp(challenge.challengeId, '123456')).rejects.toBeInstanceOf(SignInChallengeError);
    });

    it('keeps device and official challenges apart', async () => {
      const device = await h.identity.startSignIn(CONTRACT_OFFICIAL, 'device');
      expect(await h.identity.challengePhoneKey(device.challengeId, 'device')).toBe(h.identity.phoneKey(CONTRACT_OFFICIAL));
      expect(await h.identity.challengePhoneKey(device.challengeId, 'official')).toBeUndefined();
      await expect(h.identity.enrolOfficialTotp(device.challengeId, device.devCode!)).rejects.toMatchObject({ code: 'challenge_invalid' });
    });

    it('takes the officials role away when told', async () => {
      const { secret } = await enrol(CONTRACT_OFFICIAL);
      const principal = await h.identity.verifyAccessToken((await officialSignIn(CONTRACT_OFFICIAL, secret)).accessToken);
      await h.identity.removeOfficialRole(CONTRACT_OFFICIAL);
      clock.advance(61_000);
      expect((await h.identity.officialStanding(principal)).official).toBe(false);
    });

    it('refreshes a session’s access token while the user exists', async () => {
      const grant = await signIn('+15550000275');
      const refreshed = await h.identity.refreshAccess(grant.subject, grant.upstreamRefreshToken);
      expect((await h.identity.verifyAccessToken(refreshed.accessToken)).subject).toBe(grant.subject);
      await h.identity.deleteUser(grant.subject);
      await expect(h.identity.refreshAccess(grant.subject, grant.upstreamRefreshToken)).rejects.toBeInstanceOf(RefreshTokenError);
    });

    it('locks a challenge after five wrong codes', async () => {
      const { challengeId, devCode } = await h.identity.startSignIn('+15550000300', 'device');
      const wrong = devCode === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) await expect(h.identity.completeSignIn(challengeId, wrong)).rejects.toMatchObject({ code: 'code_mismatch' });
      await expect(h.identity.completeSignIn(challengeId, devCode!)).rejects.toMatchObject({ code: 'challenge_exhausted' });
    });

    it('confirms a phone without signing it in: a wrong code counts, the right one once', async () => {
      const { challengeId, devCode } = await h.identity.startSignIn('+15550000350', 'device');
      const wrong = devCode === '000000' ? '000001' : '000000';
      await expect(h.identity.confirmPhone(challengeId, wrong)).rejects.toMatchObject({ code: 'code_mismatch' });
      await h.identity.confirmPhone(challengeId, devCode!);
      await expect(h.identity.confirmPhone(challengeId, devCode!)).rejects.toBeInstanceOf(SignInChallengeError);
    });

    it('refuses an expired challenge and a used one', async () => {
      const { challengeId, devCode } = await h.identity.startSignIn('+15550000400', 'device');
      clock.advance(301_000);
      await expect(h.identity.completeSignIn(challengeId, devCode!)).rejects.toBeInstanceOf(SignInChallengeError);
      const again = await h.identity.startSignIn('+15550000400', 'device');
      await h.identity.completeSignIn(again.challengeId, again.devCode!);
      await expect(h.identity.completeSignIn(again.challengeId, again.devCode!)).rejects.toMatchObject({ code: 'challenge_invalid' });
    });

    it('rejects tampered and non-access tokens', async () => {
      const { accessToken } = await signIn('+15550000500');
      const [header, payload, signature] = accessToken.split('.');
      const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      forged['cognito:groups'] = [OFFICIALS_GROUP];
      const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
      await expect(h.identity.verifyAccessToken(tampered)).rejects.toBeInstanceOf(InvalidAccessTokenError);
      await expect(h.identity.verifyAccessToken('not.a.jwt')).rejects.toBeInstanceOf(InvalidAccessTokenError);
    });

    it('forgets a deleted user: the phone signs in again as a new subject; deleting twice is fine', async () => {
      const first = await signIn('+15550000700');
      await h.identity.deleteUser(first.subject);
      await h.identity.deleteUser(first.subject);
      const again = await signIn('+15550000700');
      expect(again.subject).not.toBe(first.subject);
    });

    it('erases a deleted user\'s pending sign-in challenge with it: its code no longer signs anyone in', async () => {
      const first = await signIn('+15550000750');
      const pending = await h.identity.startSignIn('+15550000750', 'device');
      await h.identity.deleteUser(first.subject);
      await expect(h.identity.completeSignIn(pending.challengeId, pending.devCode!)).rejects.toBeInstanceOf(SignInChallengeError);
    });

    it('refuses an official sign-in before enrolment', async () => {
      const challenge = await h.identity.startSignIn(CONTRACT_OFFICIAL, 'official');
      await expect(h.identity.completeOfficialSignIn(challenge.challengeId, challenge.devCode!, '123456')).rejects.toBeInstanceOf(SecondFactorError);
    });
  });
}

export { testClock };
