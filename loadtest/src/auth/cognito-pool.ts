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
      const session = await this.session(user);
      device.signedIn(session.token, 'deviceId' in user ? (user.deviceId ?? '') : '', { refreshToken: session.refreshToken, expiresInSeconds: session.expiresIn });
    });
  }

  /** Cognito's own REFRESH_TOKEN_AUTH for users that signed in with a password; pre-issued tokens cannot be renewed. */
  async refreshDue(devices: SimulatedDevice[], beforeMs: number): Promise<number> {
    const due = devices.filter((d) => d.refreshToken !== undefined && d.accessExpiresAtMs < beforeMs);
    await forEachLimited(due, 8, async (device) => {
      const result = await this.initiateAuth({ AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: device.refreshToken! } }, `device ${device.index}`);
      device.signedIn(result.token, device.deviceId, { expiresInSeconds: result.expiresIn });
    });
    return due.length;
  }

  async signInOfficial(): Promise<string | undefined> {
    return this.file.official === undefined ? undefined : `Bearer ${await this.token(this.file.official)}`;
  }

  private async token(user: PoolUser): Promise<string> {
    return (await this.session(user)).token;
  }

  private async session(user: PoolUser): Promise<{ token: string; refreshToken?: string | undefined; expiresIn?: number | undefined }> {
    if ('accessToken' in user) return { token: user.accessToken };
    return this.initiateAuth({ AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: user.username, PASSWORD: user.password } }, user.username);
  }

  private async initiateAuth(
    auth: { AuthFlow: string; AuthParameters: Record<string, string> },
    who: string,
  ): Promise<{ token: string; refreshToken?: string | undefined; expiresIn?: number | undefined }> {
    const endpoint = this.file.endpoint ?? `https://cognito-idp.${this.file.region}.amazonaws.com/`;
    const response = await request(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({ ...auth, ClientId: this.file.clientId }),
    });
    const body = (await response.body.json()) as {
      AuthenticationResult?: { AccessToken?: string; IdToken?: string; RefreshToken?: string; ExpiresIn?: number };
      message?: string;
    };
    const result = body.AuthenticationResult;
    const token = result?.AccessToken;
    if (response.statusCode !== 200 || !token) {
      throw new Error(`Cognito sign-in for ${who} failed (${response.statusCode}): ${body.message ?? 'no token returned'}`);
    }
    return { token, refreshToken: result?.RefreshToken, expiresIn: result?.ExpiresIn };
  }
}
