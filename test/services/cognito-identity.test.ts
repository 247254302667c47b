import { randomUUID } from 'node:crypto';
import { AdminListGroupsForUserCommand, CognitoIdentityProviderClient, DeleteUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CognitoIdentity } from '../../backend/src/adapters/cognito/cognito-identity.js';
import { DynamoSignInChallenges } from '../../backend/src/adapters/dynamodb/dynamo-sign-in-challenges.js';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { AccessTokenVerifier } from '../../backend/src/adapters/jwt/access-token-verifier.js';
import { LogSmsSender } from '../../backend/src/adapters/log/log-sms-sender.js';
import { createLogger } from '../../backend/src/composition/logger.js';
import { OFFICIALS_GROUP } from '../../backend/src/ports/identity.js';
import { provisionUserPool } from '../../infra/local-services/services/cognito-local.js';
import { CONTRACT_OFFICIAL, describeIdentityContract } from '../backend/contracts/identity.contract.js';
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
  const make = (officialPhoneNumbers: readonly string[]) =>
    new CognitoIdentity(
      cognito,
      new DynamoSignInChallenges(doc, tables.signInChallenges),
      new AccessTokenVerifier({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientId: pool.clientId, clock: clock.now }),
      new LogSmsSender(logger),
      { ...pool, officialPhoneNumbers: new Set(officialPhoneNumbers), challengeTtlSeconds: 300, maxFailedAttempts: 5, echoCodes: true },
      clock.now,
    );
  return {
    identity: make(officials),
    /** The same pool and table with another OFFICIAL_PHONE_NUMBERS (a redeploy). */
    withOfficials: make,
    issuer,
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

  const signIn = async (identity: CognitoIdentity, phone: string) => {
    const challenge = await identity.startSignIn(phone);
    return identity.completeSignIn(challenge.challengeId, challenge.devCode!);
  };
  const groupsOf = async (phone: string) =>
    (await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: h.pool.userPoolId, Username: phone }))).Groups?.map((g) => g.GroupName);

  it('keeps the officials group in step with OFFICIAL_PHONE_NUMBERS at each sign-in', async () => {
    await signIn(h.identity, CONTRACT_OFFICIAL);
    expect(await groupsOf(CONTRACT_OFFICIAL)).toEqual([OFFICIALS_GROUP]);
    const { accessToken } = await signIn(h.withOfficials([]), CONTRACT_OFFICIAL);
    expect(await groupsOf(CONTRACT_OFFICIAL)).toEqual([]);
    expect((await h.identity.verifyAccessToken(accessToken)).groups).toEqual([]);
  });

  it('keeps only the hash of the code, and nothing once the challenge is answered', async () => {
    const challenge = await h.identity.startSignIn('+15550000800');
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
      await other.identity.startSignIn('+15550000900');
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
