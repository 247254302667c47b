import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { z } from 'zod';
import type { SimulatedDevice } from '../population/simulated-device.js';
import { forEachLimited } from '../run/for-each-limited.js';
import type { CredentialSource } from './credentials.js';

/**
 * The credentials file for a deployed API: pre-created Cognito test users, one per simulated device.
 * Each user is either a username/password (signed in with USER_PASSWORD_AUTH, which the app client
 * must allow) or an already-issued token. See loadtest/README.md for an example.
 */
const UserSchema = z.union([
  z.object({ username: z.string().min(1), password: z.string().min(1) }),
  z.object({ accessToken: z.string().min(1), deviceId: z.string().optional() }),
]);

export const CredentialsFileSchema = z.object({
  region: z.string().min(1),
  clientId: z.string().min(1),
  /** The backend verifies access tokens only (token_use, client_id): an ID token is refused with 401. */
  tokenUse: z.literal('access', { error: 'must be "access": the API accepts Cognito access tokens only (ID tokens are refused)' }).default('access'),
  /** Overrides https://cognito-idp.<region>.amazonaws.com/, e.g. for a local Cognito emulator. */
  endpoint: z.url().optional(),
  users: z.array(UserSchema).min(1),
  official: UserSchema.optional(),
});

export type CredentialsFile = z.infer<typeof CredentialsFileSchema>;
type PoolUser = z.infer<typeof UserSchema>;

export function readCredentialsFile(path: string): CredentialsFile {
  const parsed = CredentialsFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`--credentials ${path}: ${problems}`);
  }
  return parsed.data;
}

export class CognitoUserPool implements CredentialSource {
  readonly description: string;

  constructor(private readonly file: CredentialsFile) {
    this.description = `Cognito test-user pool (${file.users.length} users, client ${file.clientId})`;
  }

  async signInDevices(devices: SimulatedDevice[]): Promise<void> {
    if (devices.length > this.file.users.length) {
      throw new Error(`--credentials holds ${this.file.users.length} users but ${devices.length} devices were asked for; lower --devices`);
    }
    await forEachLimited(devices, 8, async (device) => {
      const user = this.file.users[device.index]!;
      device.signedIn(await this.token(user), 'deviceId' in user ? (user.deviceId ?? '') : '');
    });
  }

  async signInOfficial(): Promise<string | undefined> {
    return this.file.official === undefined ? undefined : `Bearer ${await this.token(this.file.official)}`;
  }

  private async token(user: PoolUser): Promise<string> {
    if ('accessToken' in user) return user.accessToken;
    const endpoint = this.file.endpoint ?? `https://cognito-idp.${this.file.region}.amazonaws.com/`;
    const response = await request(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: this.file.clientId,
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    });
    const body = (await response.body.json()) as { AuthenticationResult?: { AccessToken?: string }; message?: string };
    const result = body.AuthenticationResult;
    const token = result?.AccessToken;
    if (response.statusCode !== 200 || !token) {
      throw new Error(`Cognito sign-in for ${user.username} failed (${response.statusCode}): ${body.message ?? 'no token returned'}`);
    }
    return token;
  }
}
