import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DeleteUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoUserPool } from '../../loadtest/src/auth/cognito-pool.js';
import type { CredentialsFile } from '../../loadtest/src/auth/credentials-file.js';
import { fictionalPhoneNumbers } from '../../loadtest/src/population/fictional-phone-numbers.js';
import { SimulatedDevice } from '../../loadtest/src/population/simulated-device.js';
import { OFFICIALS_GROUP } from '../../backend/src/ports/identity.js';
import { provisionUserPool } from '../../infra/local-services/services/cognito-local.js';
import { localServices, uniquePrefix } from './support/aws-clients.js';

const { region, credentials, cognito: endpoint } = localServices();
const cognito = new CognitoIdentityProviderClient({ endpoint: endpoint!.endpoint, region, credentials: { ...credentials } });
const PASSWORD = 'Load-test-1-password!';

/** Pre-created users as an operator would make them for a load test: permanent passwords, the official in its group. */
async function precreate(userPoolId: string, usernames: string[]): Promise<void> {
  for (const username of usernames) {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, UserAttributes: [{ Name: 'phone_number', Value: username }], MessageAction: 'SUPPRESS' }));
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
  }
}

describe('Class: CognitoUserPool on cognito-local', () => {
  let pool: { userPoolId: string; clientId: string };
  const [official, ...users] = fictionalPhoneNumbers(4, 0);
  const file = (overrides: Partial<CredentialsFile> = {}): CredentialsFile => ({
    region,
    endpoint: endpoint!.endpoint,
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    users: users.map((username) => ({ username, password: PASSWORD })),
    official: { username: official!, password: PASSWORD },
    ...overrides,
  });
  const devices = (n: number) => users.slice(0, n).map((login, i) => new SimulatedDevice(i, login));

  beforeAll(async () => {
    pool = await provisionUserPool(cognito, uniquePrefix());
    await precreate(pool.userPoolId, [official!, ...users]);
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: official!, GroupName: OFFICIALS_GROUP }));
  });
  afterAll(async () => {
    await cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool.userPoolId }));
    cognito.destroy();
  });

  it.each(['ADMIN_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'] as const)('signs devices and the official in with %s and sends their access tokens', async (authFlow) => {
    const source = new CognitoUserPool(file({ authFlow }), 'creds.json', cognito);
    const ds = devices(3);
    await source.signInDevices(ds);
    for (const d of ds) {
      const claims = decodeJwt(d.session.accessToken);
      expect(claims).toMatchObject({ token_use: 'access', client_id: pool.clientId });
      expect(d.headers.authorization).toBe(`Bearer ${d.session.accessToken}`);
      expect(d.session.refreshToken).toBeTruthy();
      expect(d.session.expiresAtMs).toBe((claims.exp as number) * 1000);
    }
    const officialSession = await source.signInOfficial();
    expect(decodeJwt(officialSession!.accessToken)['cognito:groups']).toEqual([OFFICIALS_GROUP]);
  });

  it.each(['ADMIN_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'] as const)('renews a session with REFRESH_TOKEN_AUTH (%s)', async (authFlow) => {
    const source = new CognitoUserPool(file({ authFlow }), 'creds.json', cognito);
    const [device] = devices(1);
    await source.signInDevices([device!]);
    const before = device!.session.accessToken;
    const jti = (token: string) => decodeJwt(token).jti;
    await source.refresh(device!.session);
    expect(device!.session.accessToken).not.toBe(before);
    expect(jti(device!.session.accessToken)).not.toBe(jti(before));
    expect(decodeJwt(device!.session.accessToken)).toMatchObject({ token_use: 'access', sub: decodeJwt(before).sub });
  });

  it('renews an issued token from its refresh token', async () => {
    const signedIn = new CognitoUserPool(file(), 'creds.json', cognito);
    const [device] = devices(1);
    await signedIn.signInDevices([device!]);
    const issued = new CognitoUserPool(file({ users: [{ accessToken: device!.session.accessToken, refreshToken: device!.session.refreshToken! }] }), 'issued.json', cognito);
    const [again] = issued.logins(1).map((login, i) => new SimulatedDevice(i, login));
    await issued.signInDevices([again!]);
    expect(again!.session.accessToken).toBe(device!.session.accessToken);
    await issued.refresh(again!.session);
    expect(decodeJwt(again!.session.accessToken).sub).toBe(decodeJwt(device!.session.accessToken).sub);
  });

  it('signs in again with the password when Cognito refuses the refresh token (revoked or expired)', async () => {
    const source = new CognitoUserPool(file(), 'creds.json', cognito);
    const [device] = devices(1);
    await source.signInDevices([device!]);
    const before = device!.session.accessToken;
    device!.session.update({ accessToken: before, refreshToken: 'revoked-refresh-token' });
    await source.refresh(device!.session);
    expect(device!.session.accessToken).not.toBe(before);
    expect(device!.session.refreshToken).not.toBe('revoked-refresh-token');
  });

  it('names the user and Cognito\u2019s reason when a password is wrong', async () => {
    const source = new CognitoUserPool(file({ users: [{ username: users[0]!, password: 'wrong-Password-1!' }] }), 'creds.json', cognito);
    // Cognito says NotAuthorizedException; cognito-local, InvalidPasswordException.
    await expect(source.signInDevices(devices(1))).rejects.toThrow(new RegExp(`^Cognito sign-in for \\${users[0]} failed: (NotAuthorized|InvalidPassword)Exception: `));
  });

  it('knows which issued tokens would expire during the run with no way to renew them', () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const expiring = `${part({ alg: 'none' })}.${part({ exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    const source = new CognitoUserPool(file({ users: [{ accessToken: expiring }, { accessToken: expiring, refreshToken: 'r' }, { username: 'u', password: 'p' }] }), 'f.json', cognito);
    expect(source.strandedBy(3, Date.now() + 120_000)).toEqual(['user 1']);
    expect(source.strandedBy(3, Date.now() + 30_000)).toEqual([]);
  });
});
