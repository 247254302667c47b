import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_ISSUER } from '../../../backend/src/adapters/local-identity/local-identity.js';
import { embeddedServices, testClock, type TestClock } from '../../support/embedded-services.js';
import { CONTRACT_OFFICIAL, describeIdentityContract, totpCode } from '../contracts/identity.contract.js';

type Harness = Awaited<ReturnType<typeof embeddedServices>>;

describeIdentityContract('local provider', async (clock) => {
  const h = await embeddedServices({ clock, env: { OFFICIAL_PHONE_NUMBERS: CONTRACT_OFFICIAL } });
  return { identity: h.services.identity, issuer: LOCAL_ISSUER, totpClock: clock.now, close: () => h.close() };
});

describe('local identity provider', () => {
  let h: Harness;
  let clock: TestClock;
  beforeEach(async () => {
    clock = testClock(new Date());
    h = await embeddedServices({ clock, env: { OFFICIAL_PHONE_NUMBERS: CONTRACT_OFFICIAL } });
  });
  afterEach(() => h.close());

  const enrolledOfficial = async () => {
    const enrolment = await h.services.identity.startSignIn(CONTRACT_OFFICIAL, 'official');
    const { secret } = await h.services.identity.enrolOfficialTotp(enrolment.challengeId, enrolment.devCode!);
    return secret;
  };
  const officialSignIn = async (totp: string) => {
    const challenge = await h.services.identity.startSignIn(CONTRACT_OFFICIAL, 'official');
    return h.services.identity.completeOfficialSignIn(challenge.challengeId, challenge.devCode!, totp);
  };

  it('stores no phone numbers and no TOTP secret in clear', async () => {
    const challenge = await h.services.identity.startSignIn('+15550000600', 'device');
    await h.services.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
    const secret = await enrolledOfficial();
    const rows = JSON.stringify(h.services.database.db.prepare('SELECT * FROM identity_users').all());
    expect(rows).not.toContain('5550000600');
    expect(rows).not.toContain(CONTRACT_OFFICIAL.slice(1));
    expect(rows).not.toContain(secret);
  });

  it('refuses an authenticator code used before (no replay within its 30 s step)', async () => {
    const secret = await enrolledOfficial();
    const code = totpCode(secret, clock.now());
    await officialSignIn(code);
    await expect(officialSignIn(code)).rejects.toMatchObject({ code: 'totp_mismatch' });
    clock.advance(30_000);
    await expect(officialSignIn(totpCode(secret, clock.now()))).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('says in the token that the official used the second factor, and the device does not', async () => {
    const secret = await enrolledOfficial();
    const official = await h.services.identity.verifyAccessToken((await officialSignIn(totpCode(secret, clock.now()))).accessToken);
    expect(official.amr).toEqual(['sms', 'otp']);
    const challenge = await h.services.identity.startSignIn('+15550000601', 'device');
    const device = await h.services.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
    expect((await h.services.identity.verifyAccessToken(device.accessToken)).amr).toEqual(['sms']);
  });

  it('drops the role of an official no longer in OFFICIAL_PHONE_NUMBERS at the next start', async () => {
    const secret = await enrolledOfficial();
    const principal = await h.services.identity.verifyAccessToken((await officialSignIn(totpCode(secret, clock.now()))).accessToken);
    await h.close(false);
    h = await embeddedServices({ clock, dataDir: h.dataDir, env: { OFFICIAL_PHONE_NUMBERS: '' } });
    expect(await h.services.identity.officialStanding(principal)).toEqual({ official: false, mfa: true });
  });
});
