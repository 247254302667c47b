import { randomBytes } from 'node:crypto';
import {
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
import { forEachLimited } from '../run/for-each-limited.js';
import type { CredentialsFile } from './credentials-file.js';
import { fictionalPhoneNumbers } from '../population/fictional-phone-numbers.js';

export interface ProvisionOptions {
  cognito: CognitoIdentityProviderClient;
  doc: DynamoDBDocumentClient;
  region: string;
  userPoolId: string;
  /** The device app client; it allows USER_PASSWORD_AUTH on every stage (officials' TOTP sign-in uses it too). */
  clientId: string;
  tablePrefix: string;
  count: number;
  /** Written into the credentials file for a local Cognito stand-in. */
  cognitoEndpoint?: string | undefined;
  now?: () => Date;
}

/**
 * Pre-creates load-test users in the device pool and registers each as a device, exactly as a first
 * SMS sign-in does (the backend's own DeviceDirectory.ensureDevice on the user's `sub`), so their
 * access tokens are accepted by every device route. Numbers are the load tool's fictional ones
 * (+1 NPA 555-01XX, held by no one), and never texted: users are created with the welcome message
 * suppressed. Re-running reuses them with new passwords.
 */
export async function provisionLoadTestUsers(o: ProvisionOptions): Promise<CredentialsFile> {
  const now = o.now ?? (() => new Date());
  // Provisioning only creates devices; the erased-number lifetime matters to erasure alone.
  const devices = new DynamoDeviceDirectory(o.doc, dynamoTableNames(o.tablePrefix), loadBackendConfig({}).retention.erasedNumbersMs, now);
  const create = async (phone: string) => {
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
    const user = await o.cognito.send(new AdminGetUserCommand({ UserPoolId: o.userPoolId, Username: phone }));
    const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    if (!sub) throw new Error(`Cognito returned no sub for ${phone}`);
    const device = await devices.ensureDevice(sub, now());
    return { username: phone, password, deviceId: device.subject };
  };
  const phones = loadTestUserPhones(o.count);
  const users: { username: string; password: string }[] = new Array(o.count);
  await forEachLimited(
    phones.map((phone, i) => ({ phone, i })),
    8,
    async ({ phone, i }) => {
      const { username, password } = await create(phone);
      users[i] = { username, password };
    },
  );
  return {
    region: o.region,
    clientId: o.clientId,
    ...(o.cognitoEndpoint ? { endpoint: o.cognitoEndpoint } : {}),
    users,
  };
}

/** The phone numbers of `count` pre-created users: the first of the fictional range, the same on every run. */
export function loadTestUserPhones(count: number): string[] {
  return fictionalPhoneNumbers(count, 0);
}
