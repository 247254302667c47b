import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignInChallengeError } from '../../../backend/src/domain/errors.js';
import { InvalidAccessTokenError, OFFICIALS_GROUP, type Identity } from '../../../backend/src/ports/identity.js';
import { testClock, type TestClock } from '../../support/embedded-services.js';

export const CONTRACT_OFFICIAL = '+15550000100';

export interface IdentityHarness {
  identity: Identity;
  /** The `iss` of the access tokens. */
  issuer: string;
  close(): Promise<void>;
}

/**
 * The behaviour every Identity adapter shares (local provider, Cognito): phone sign-in with a
 * one-time code (echoed: DEV_SMS_ECHO), Cognito-shaped RS256 access tokens, the officials group for
 * CONTRACT_OFFICIAL, a five-attempt limit and a 300-second challenge lifetime on `clock`.
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
      const challenge = await h.identity.startSignIn(phone);
      return h.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
    };

    it('issues RS256 access tokens shaped like Cognito’s, verified by the shared verifier', async () => {
      const { accessToken, subject } = await signIn(CONTRACT_OFFICIAL);
      expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
      expect(decodeJwt(accessToken)).toMatchObject({ sub: subject, token_use: 'access', 'cognito:groups': [OFFICIALS_GROUP], iss: h.issuer });
      expect(await h.identity.verifyAccessToken(accessToken)).toEqual({ subject, groups: [OFFICIALS_GROUP] });
    });

    it('gives the same subject to the same phone and no groups to ordinary users', async () => {
      const first = await signIn('+15550000200');
      const second = await signIn('+15550000200');
      expect(second.subject).toBe(first.subject);
      expect((await h.identity.verifyAccessToken(second.accessToken)).groups).toEqual([]);
    });

    it('locks a challenge after five wrong codes', async () => {
      const { challengeId, devCode } = await h.identity.startSignIn('+15550000300');
      const wrong = devCode === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) await expect(h.identity.completeSignIn(challengeId, wrong)).rejects.toMatchObject({ code: 'code_mismatch' });
      await expect(h.identity.completeSignIn(challengeId, devCode!)).rejects.toMatchObject({ code: 'challenge_exhausted' });
    });

    it('refuses an expired challenge and a used one', async () => {
      const { challengeId, devCode } = await h.identity.startSignIn('+15550000400');
      clock.advance(301_000);
      await expect(h.identity.completeSignIn(challengeId, devCode!)).rejects.toBeInstanceOf(SignInChallengeError);
      const again = await h.identity.startSignIn('+15550000400');
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
  });
}
