import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  UsernameExistsException,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDeviceDirectory } from '../../../backend/src/adapters/dynamodb/dynamo-device-directory.js';
import { dynamoTableNames } from '../../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { OFFICIALS_GROUP } from '../../../backend/src/ports/identity.js';
import { forEachLimited } from '../run/for-each-limited.js';
import type { CredentialsFile } from './cognito-pool.js';

export interface ProvisionOptions {
  cognito: CognitoIdentityProviderClient;
  doc: DynamoDBDocumentClient;
  region: string;
  userPoolId: string;
  /** The device app client; it allows USER_PASSWORD_AUTH on every stage (officials' TOTP sign-in uses it too). */
  clientId: string;
  tablePrefix: string;
  count: number;
  /** Also a health official (in the `officials` group), for verification codes and stats. */
  official: boolean;
  /** Written into the credentials file for a local Cognito stand-in. */
  cognitoEndpoint?: string | undefined;
  now?: () => Date;
}

/**
 * Pre-creates load-test users in the device pool and registers each as a device, exactly as a first
 * SMS sign-in does (the backend's own DeviceDirectory.ensureDevice on the user's `sub`), so their
 * access tokens are accepted by every device route. Numbers are in +1 555 01xx-style fictional space
 * (+1555, never texted: users are created with the welcome message suppressed). Re-running reuses them
 * with new passwords.
 */
export async function provisionLoadTestUsers(o: ProvisionOptions): Promise<CredentialsFile> {
  const now = o.now ?? (() => new Date());
  // Provisioning only creates devices; the erased-number lifetime matters to erasure alone.
  const devices = new DynamoDeviceDirectory(o.doc, dynamoTableNames(o.tablePrefix), loadBackendConfig({}).retention.erasedNumbersMs, now);
  const create = async (phone: string, official: boolean) => {
    const password = `${randomBytes(24).toString('base64url')}aA1!`;
    try {
      await o.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: o.userPoolId,
          Username: phone,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'phone_number', Value: phone },
            { Name: 'phone_number_verified', Value: 'true' },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof UsernameExistsException)) throw error;
    }
    await o.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: o.userPoolId, Username: phone, Password: password, Permanent: true }));
    if (official) await o.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: o.userPoolId, Username: phone, GroupName: OFFICIALS_GROUP }));
    const user = await o.cognito.send(new AdminGetUserCommand({ UserPoolId: o.userPoolId, Username: phone }));
    const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    if (!sub) throw new Error(`Cognito returned no sub for ${phone}`);
    const device = await devices.ensureDevice(sub, now());
    return { username: phone, password, deviceId: device.subject };
  };
  const phones = Array.from({ length: o.count }, (_, i) => `+1555${String(i).padStart(7, '0')}`);
  const users: { username: string; password: string }[] = new Array(o.count);
  await forEachLimited(
    phones.map((phone, i) => ({ phone, i })),
    8,
    async ({ phone, i }) => {
      const { username, password } = await create(phone, false);
      users[i] = { username, password };
    },
  );
  const official = o.official ? await create('+15559999999', true) : undefined;
  return {
    region: o.region,
    clientId: o.clientId,
    tokenUse: 'access',
    ...(o.cognitoEndpoint ? { endpoint: o.cognitoEndpoint } : {}),
    users,
    ...(official ? { official: { username: official.username, password: official.password } } : {}),
  };
}
