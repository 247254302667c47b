import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_ISSUER } from '../../../backend/src/adapters/local-identity/local-identity.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';
import { CONTRACT_OFFICIAL, describeIdentityContract } from '../contracts/identity.contract.js';

type Harness = Awaited<ReturnType<typeof embeddedServices>>;

describeIdentityContract('local provider', async (clock) => {
  const h = await embeddedServices({ clock, env: { OFFICIAL_PHONE_NUMBERS: CONTRACT_OFFICIAL } });
  return { identity: h.services.identity, issuer: LOCAL_ISSUER, close: () => h.close() };
});

describe('local identity provider', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await embeddedServices({ clock: testClock(new Date()), env: { OFFICIAL_PHONE_NUMBERS: CONTRACT_OFFICIAL } });
  });
  afterEach(() => h.close());

  it('stores no phone numbers', async () => {
    const challenge = await h.services.identity.startSignIn('+15550000600');
    await h.services.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
    const rows = h.services.database.db.prepare("SELECT * FROM identity_users").all();
    expect(JSON.stringify(rows)).not.toContain('5550000600');
  });
});
