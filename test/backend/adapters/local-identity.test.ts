import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignInChallengeError } from '../../../backend/src/domain/errors.js';
import { InvalidAccessTokenError, OFFICIALS_GROUP } from '../../../backend/src/ports/identity.js';
import { embeddedServices, testClock, type TestClock } from '../../support/embedded-services.js';

type Harness = Awaited<ReturnType<typeof embeddedServices>>;

describe('local identity provider', () => {
  let h: Harness;
  let clock: TestClock;
  beforeEach(async () => {
    clock = testClock(new Date());
    h = await embeddedServices({ clock, env: { OFFICIAL_PHONE_NUMBERS: '+15550000100' } });
  });
  afterEach(() => h.close());

  const signIn = async (phone: string) => {
    const challenge = await h.services.identity.startSignIn(phone);
    return h.services.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
  };

  it('issues RS256 access tokens shaped like Cognito’s, verified by the shared verifier', async () => {
    const { accessToken, subject } = await signIn('+15550000100');
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(decodeJwt(accessToken)).toMatchObject({ sub: subject, token_use: 'access', 'cognito:groups': [OFFICIALS_GROUP], iss: 'urn:proxitrace:local-identity' });
    expect(await h.services.identity.verifyAccessToken(accessToken)).toEqual({ subject, groups: [OFFICIALS_GROUP] });
  });

  it('gives the same subject to the same phone and no groups to ordinary users', async () => {
    const first = await signIn('+15550000200');
    const second = await signIn('+15550000200');
    expect(second.subject).toBe(first.subject);
    expect((await h.services.identity.verifyAccessToken(second.accessToken)).groups).toEqual([]);
  });

  it('locks a challenge after five wrong codes', async () => {
    const { challengeId, devCode } = await h.services.identity.startSignIn('+15550000300');
    const wrong = devCode === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) await expect(h.services.identity.completeSignIn(challengeId, wrong)).rejects.toMatchObject({ code: 'code_mismatch' });
    await expect(h.services.identity.completeSignIn(challengeId, devCode!)).rejects.toMatchObject({ code: 'challenge_exhausted' });
  });

  it('refuses an expired challenge and a used one', async () => {
    const { challengeId, devCode } = await h.services.identity.startSignIn('+15550000400');
    clock.advance(301_000);
    await expect(h.services.identity.completeSignIn(challengeId, devCode!)).rejects.toBeInstanceOf(SignInChallengeError);
    const again = await h.services.identity.startSignIn('+15550000400');
    await h.services.identity.completeSignIn(again.challengeId, again.devCode!);
    await expect(h.services.identity.completeSignIn(again.challengeId, again.devCode!)).rejects.toMatchObject({ code: 'challenge_invalid' });
  });

  it('rejects tampered and non-access tokens', async () => {
    const { accessToken } = await signIn('+15550000500');
    const [header, payload, signature] = accessToken.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged['cognito:groups'] = [OFFICIALS_GROUP];
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    await expect(h.services.identity.verifyAccessToken(tampered)).rejects.toBeInstanceOf(InvalidAccessTokenError);
    await expect(h.services.identity.verifyAccessToken('not.a.jwt')).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('stores no phone numbers', async () => {
    await signIn('+15550000600');
    const rows = h.services.database.db.prepare("SELECT * FROM identity_users").all();
    expect(JSON.stringify(rows)).not.toContain('5550000600');
  });
});
