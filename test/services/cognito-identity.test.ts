import { randomBytes, randomUUID } from 'node:crypto';
import { AdminGetUserCommand, AdminListGroupsForUserCommand, CognitoIdentityProviderClient, DeleteUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CognitoIdentity } from '../../backend/src/adapters/cognito/cognito-identity.js';
import { DynamoSignInChallenges } from '../../backend/src/adapters/dynamodb/dynamo-sign-in-challenges.js';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { AccessTokenVerifier } from '../../backend/src/adapters/jwt/access-token-verifier.js';
import { LogSmsSender } from '../../backend/src/adapters/log/log-sms-sender.js';
import { PhoneHasher } from '../../backend/src/adapters/phone-hash/phone-hash.js';
import { createLogger } from '../../backend/src/composition/logger.js';
import { OFFICIALS_GROUP } from '../../backend/src/ports/identity.js';
import { provisionUserPool } from '../../infra/local-services/services/cognito-local.js';
import { CONTRACT_OFFICIAL, describeIdentityContract, totpCode } from '../backend/contracts/identity.contract.js';
import { testClock, type TestClock } from '../support/embedded-services.js';
import { localAwsClients, localServices, uniquePrefix } from './support/aws-clients.js';

const { dynamo, doc } = localAwsClients();
const { region, credentials, cognito: endpoint } = localServices();
const cognito = new CognitoIdentityProviderClient({ endpoint: endpoint!.endpoint, region, credentials: { ...credentials } });
afterAll(() => cognito.destroy());
const logger = createLogger({ logLevel: 'SILENT' });

/** A user pool and a challenges table of its own, and a CognitoIdentity on them. */
async function freshCognitoIdentity(clock: TestClock, officials: readonly string[] = [CONTRACT_OFFICIAL]) {
  const prefix = uniquePrefix();
  const tables = dynamoTableNames(prefix);
  const [pool] = await Promise.all([provisionUserPool(cognito, prefix), createDynamoTables(dynamo, tables)]);
  const issuer = `${endpoint!.endpoint}/${pool.userPoolId}`;
  const hasher = new PhoneHasher(randomBytes(32));
  const make = (officialPhoneNumbers: readonly string[]) =>
    new CognitoIdentity(
      cognito,
      new DynamoSignInChallenges(doc, tables.signInChallenges),
      // cognito-local stamps iat and exp on the wall clock, so tokens are checked on it, as the
      // deployment checks them on the identity clock: the test clock stood still while the pool was
      // made, and on a busy machine a token came out more than the 5 s tolerance "from the future".
      new AccessTokenVerifier({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientId: pool.clientId, clock: () => new Date() }),
      new LogSmsSender(logger),
      hasher,
      { ...pool, officialPhoneNumbers: new Set(officialPhoneNumbers), challengeTtlSeconds: 300, maxFailedAttempts: 5, officialRoleCacheMs: 30_000, echoCodes: true },
      clock.now,
    );
  return {
    identity: make(officials),
    /** The same pool and table with another OFFICIAL_PHONE_NUMBERS (a redeploy). */
    withOfficials: make,
    issuer,
    hasher,
    totpClock: () => new Date(),
    pool,
    tables,
    close: async () => {
      await Promise.all([deleteDynamoTables(dynamo, tables), cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool.userPoolId }))]);
    },
  };
}

describeIdentityContract('cognito (cognito-local + DynamoDB Local)', (clock) => freshCognitoIdentity(clock));

describe('CognitoIdentity', () => {
  let h: Awaited<ReturnType<typeof freshCognitoIdentity>>;
  beforeEach(async () => {
    h = await freshCognitoIdentity(testClock(new Date()));
  });
  afterEach(() => h.close());

  const groupsOf = async (username: string) =>
    (await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: h.pool.userPoolId, Username: username }))).Groups?.map((g) => g.GroupName);
  const enrol = async (identity: CognitoIdentity) => {
    const challenge = await identity.startSignIn(CONTRACT_OFFICIAL, 'official');
    return identity.enrolOfficialTotp(challenge.challengeId, challenge.devCode!);
  };

  it("creates no user for a confirmed phone (a dedicated device's owner gets no account)", async () => {
    const phone = '+15550000351';
    const { challengeId, devCode } = await h.identity.startSignIn(phone, 'device');
    await h.identity.confirmPhone(challengeId, devCode!);
    await expect(cognito.send(new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: h.hasher.username('device', phone) }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('keeps the officials group in step with OFFICIAL_PHONE_NUMBERS at each official sign-in', async () => {
    const official = h.hasher.username('official', CONTRACT_OFFICIAL);
    const { secret } = await enrol(h.identity);
    expect(await groupsOf(official)).toEqual([OFFICIALS_GROUP]);
    const challenge = await h.withOfficials([]).startSignIn(CONTRACT_OFFICIAL, 'official');
    expect(challenge.devCode).toBeUndefined();
    // A challenge started while still listed, answered after the listing is gone:
    const pending = await h.identity.startSignIn(CONTRACT_OFFICIAL, 'official');
    await expect(h.withOfficials([]).completeOfficialSignIn(pending.challengeId, pending.devCode!, totpCode(secret, new Date()))).rejects.toMatchObject({
      code: 'challenge_invalid',
    });
    expect(await groupsOf(official)).toEqual([]);
  });

  it('uses opaque usernames: the phone number is only an attribute', async () => {
    const challenge = await h.identity.startSignIn('+15550000850', 'device');
    const grant = await h.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
    const { Username, UserAttributes } = await cognito.send(new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: h.hasher.username('device', '+15550000850') }));
    expect(Username).not.toContain('5550000850');
    expect(UserAttributes).toEqual(expect.arrayContaining([{ Name: 'phone_number', Value: '+15550000850' }]));
    expect(decodeJwt(grant.accessToken).username).toBe(Username);
  });

  it('lets Cognito check the authenticator: software-token MFA is on for the official after the first sign-in', async () => {
    const official = h.hasher.username('official', CONTRACT_OFFICIAL);
    const { secret } = await enrol(h.identity);
    const first = await h.identity.startSignIn(CONTRACT_OFFICIAL, 'official');
    await h.identity.completeOfficialSignIn(first.challengeId, first.devCode!, totpCode(secret, new Date()));
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: official }));
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    const second = await h.identity.startSignIn(CONTRACT_OFFICIAL, 'official');
    await expect(h.identity.completeOfficialSignIn(second.challengeId, second.devCode!, '000000' === totpCode(secret, new Date()) ? '111111' : '000000')).rejects.toMatchObject({
      code: 'totp_mismatch',
    });
  });

  it('keeps only the hash of the code, and nothing once the challenge is answered', async () => {
    const challenge = await h.identity.startSignIn('+15550000800', 'device');
    const { Items: pending = [] } = await doc.send(new ScanCommand({ TableName: h.tables.signInChallenges }));
    expect(pending).toHaveLength(1);
    expect(JSON.stringify(pending)).not.toContain(challenge.devCode!);
    await h.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
    const { Items: after = [] } = await doc.send(new ScanCommand({ TableName: h.tables.signInChallenges }));
    expect(after).toEqual([]);
  });

  it('purges challenges past their expiry', async () => {
    const clock = testClock(new Date());
    const other = await freshCognitoIdentity(clock);
    try {
      await other.identity.startSignIn('+15550000900', 'device');
      expect(await other.identity.purgeExpiredChallenges()).toBe(0);
      clock.advance(301_000);
      expect(await other.identity.purgeExpiredChallenges()).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('answers an unknown challenge with challenge_invalid', async () => {
    await expect(h.identity.completeSignIn(randomUUID(), '123456')).rejects.toMatchObject({ code: 'challenge_invalid' });
  });
});
