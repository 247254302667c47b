import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type InitiateAuthResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { generateSync } from 'otplib';
import type { SimulatedDevice } from '../population/simulated-device.js';
import { forEachLimited } from '../run/for-each-limited.js';
import { authFlowOf, type AuthFlow, type CredentialsFile, type PoolUser } from './credentials-file.js';
import type { CredentialSource } from './credentials.js';
import { Session, accessTokenTimes } from './session.js';

const SIGN_IN_CONCURRENCY = 8;

/** The SDK client for the file's region (or emulator endpoint), with the default AWS credential chain for the admin flow. */
export function cognitoClientFor(file: CredentialsFile): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: file.region, ...(file.endpoint === undefined ? {} : { endpoint: file.endpoint }) });
}

const SOFTWARE_TOKEN_MFA = 'SOFTWARE_TOKEN_MFA';

/**
 * Pre-created Cognito users, one per simulated device, signed in with the file's flow and kept signed in
 * with REFRESH_TOKEN_AUTH. The API takes access tokens only. An official answers Cognito's software-token
 * MFA challenge with a code from its `totpSecret` (the API accepts officials only with MFA on).
 */
export class CognitoUserPool implements CredentialSource {
  readonly description: string;
  readonly maxDevices: number;
  readonly maxDevicesReason = 'one user each; add users to the file or lower --devices';
  readonly officialLabel: string | undefined;
  private readonly flow: AuthFlow;
  /** Whom each password session belongs to, so that it can sign in again when its refresh token is refused. */
  private readonly passwords = new Map<Session, Extract<PoolUser, { password: string }>>();

  /** `path` is where the file came from, for messages. */
  constructor(
    private readonly file: CredentialsFile,
    path: string,
    private readonly cognito: CognitoIdentityProviderClient = cognitoClientFor(file),
  ) {
    this.flow = authFlowOf(file);
    this.description = `the Cognito test users of ${path} (${file.users.length} users, client ${file.clientId}, ${this.flow})`;
    this.maxDevices = file.users.length;
    const official = file.official;
    this.officialLabel = official === undefined ? undefined : `the official of --credentials ${path} (${'username' in official ? official.username : 'issued token'})`;
  }

  logins(count: number): string[] {
    return this.file.users.slice(0, count).map((user, i) => ('username' in user ? user.username : `user ${i + 1}`));
  }

  async signInDevices(devices: SimulatedDevice[]): Promise<void> {
    if (devices.length > this.file.users.length) {
      throw new Error(`--credentials holds ${this.file.users.length} users but ${devices.length} devices were asked for; lower --devices`);
    }
    await forEachLimited(devices, SIGN_IN_CONCURRENCY, async (device) => {
      const user = this.file.users[device.index]!;
      device.signedIn(await this.signIn(user, device.login), 'deviceId' in user ? (user.deviceId ?? '') : '');
    });
  }

  async signInOfficial(): Promise<Session | undefined> {
    return this.file.official === undefined ? undefined : this.signIn(this.file.official, 'the official');
  }

  strandedBy(devices: number, atMs: number): string[] {
    const logins = this.logins(devices);
    const users = [...this.file.users.slice(0, devices).map((user, i) => ({ user, login: logins[i]! })), ...(this.file.official ? [{ user: this.file.official, login: 'the official' }] : [])];
    return users
      .filter(({ user }) => 'accessToken' in user && user.refreshToken === undefined && (accessTokenTimes(user.accessToken).expiresAtMs ?? Infinity) <= atMs)
      .map(({ login }) => login);
  }

  /** REFRESH_TOKEN_AUTH; a user with a password whose refresh token is refused (revoked, expired) signs in again. */
  async refresh(session: Session): Promise<void> {
    const user = this.passwords.get(session);
    if (session.refreshToken !== undefined) {
      try {
        const result = await this.initiateAuth(session.login, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: session.refreshToken });
        session.update({ accessToken: result.AccessToken!, refreshToken: result.RefreshToken });
        return;
      } catch (error) {
        if (user === undefined) throw error;
      }
    }
    if (user === undefined) throw new Error(`${session.login}: no refresh token, so the access token cannot be renewed`);
    const result = await this.initiateAuth(user.username, this.flow, { USERNAME: user.username, PASSWORD: user.password }, user.totpSecret);
    session.update({ accessToken: result.AccessToken!, refreshToken: result.RefreshToken });
  }

  close(): void {
    this.cognito.destroy();
  }

  private async signIn(user: PoolUser, fallbackLogin: string): Promise<Session> {
    if ('accessToken' in user) return new Session(fallbackLogin, user);
    const result = await this.initiateAuth(user.username, this.flow, { USERNAME: user.username, PASSWORD: user.password }, user.totpSecret);
    const session = new Session(user.username, { accessToken: result.AccessToken!, refreshToken: result.RefreshToken });
    this.passwords.set(session, user);
    return session;
  }

  private async initiateAuth(login: string, flow: AuthFlow | 'REFRESH_TOKEN_AUTH', parameters: Record<string, string>, totpSecret?: string): Promise<AuthenticationResultType> {
    const action = flow === 'REFRESH_TOKEN_AUTH' ? 'token refresh' : 'sign-in';
    const admin = this.flow === 'ADMIN_USER_PASSWORD_AUTH';
    const { UserPoolId, ClientId } = { UserPoolId: this.file.userPoolId, ClientId: this.file.clientId };
    let response: InitiateAuthResponse;
    try {
      response = admin
        ? await this.cognito.send(new AdminInitiateAuthCommand({ UserPoolId, ClientId, AuthFlow: flow, AuthParameters: parameters }))
        : await this.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: flow, AuthParameters: parameters }));
      if (response.ChallengeName === SOFTWARE_TOKEN_MFA && totpSecret !== undefined) {
        const answer = { ChallengeName: SOFTWARE_TOKEN_MFA, Session: response.Session, ChallengeResponses: { USERNAME: login, SOFTWARE_TOKEN_MFA_CODE: generateSync({ secret: totpSecret }) } } as const;
        response = admin
          ? await this.cognito.send(new AdminRespondToAuthChallengeCommand({ UserPoolId, ClientId, ...answer }))
          : await this.cognito.send(new RespondToAuthChallengeCommand({ ClientId, ...answer }));
      }
    } catch (error) {
      throw new Error(`Cognito ${action} for ${login} failed: ${(error as Error).name}: ${(error as Error).message}`);
    }
    if (response.ChallengeName !== undefined) {
      const hint = response.ChallengeName === SOFTWARE_TOKEN_MFA ? 'give its "totpSecret" in --credentials' : 'the load tool signs in only users without a pending challenge';
      throw new Error(`Cognito ${action} for ${login} asks for ${response.ChallengeName}: ${hint}`);
    }
    if (!response.AuthenticationResult?.AccessToken) throw new Error(`Cognito ${action} for ${login} returned no access token`);
    return response.AuthenticationResult;
  }
}
