import { randomBytes, randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { RefreshTokenError, SecondFactorError, SignInChallengeError } from '../../domain/errors.js';
import {
  OFFICIALS_GROUP,
  type Identity,
  type OfficialStanding,
  type Principal,
  type SessionGrant,
  type SignInChallenge,
  type SignInPurpose,
  type TotpEnrolment,
} from '../../ports/identity.js';
import { TtlCache } from '../cache/ttl-cache.js';
import type { DynamoSignInChallenges } from '../dynamodb/dynamo-sign-in-challenges.js';
import type { AccessTokenVerifier } from '../jwt/access-token-verifier.js';
import type { SmsSender } from '../local-identity/sms-sender.js';
import type { PhoneHasher } from '../phone-hash/phone-hash.js';
import { newSmsCode, sameSmsCodeHash, smsCodeHash, smsCodeMessage } from '../sms-code/sms-code.js';
import { totpUri } from '../totp/totp.js';

export interface CognitoIdentityOptions {
  userPoolId: string;
  /** An app client without secret allowing ADMIN_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH. */
  clientId: string;
  officialPhoneNumbers: ReadonlySet<string>;
  challengeTtlSeconds: number;
  maxFailedAttempts: number;
  officialRoleCacheMs: number;
  /** Developer mode: hand the SMS code back in the response. Never in production. */
  echoCodes: boolean;
}

/** Concurrent sign-ins of one phone each set a password; the loser sets its own again. */
const MAX_AUTH_ATTEMPTS = 3;
const SOFTWARE_TOKEN_MFA = 'SOFTWARE_TOKEN_MFA';

/**
 * Phone sign-in on a Cognito user pool. The backend runs the SMS one-time code itself (a hashed
 * code with expiry and attempt limit in DynamoDB, the SMS through an `SmsSender`), because
 * cognito-local has no CUSTOM_AUTH; once the code is right it obtains Cognito's tokens: the user
 * is created on first sign-in under an opaque username (a keyed hash; the number is only the
 * `phone_number` attribute, never in a token), given a fresh random password kept nowhere, and
 * authenticated. Devices use ADMIN_USER_PASSWORD_AUTH. Officials are users of their own (another
 * opaque username), members of the `officials` group while OFFICIAL_PHONE_NUMBERS lists them,
 * and sign in with Cognito's software-token MFA: USER_PASSWORD_AUTH, then Cognito itself checks
 * the authenticator code (SOFTWARE_TOKEN_MFA). The pool's MFA is OPTIONAL, so device users need
 * none; an official's session is accepted only while the directory shows TOTP enabled.
 */
export class CognitoIdentity implements Identity {
  private readonly standing: TtlCache<OfficialStanding>;

  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly challenges: DynamoSignInChallenges,
    private readonly verifier: AccessTokenVerifier,
    private readonly sms: SmsSender,
    private readonly hasher: PhoneHasher,
    private readonly options: CognitoIdentityOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.standing = new TtlCache(options.officialRoleCacheMs, now);
  }

  phoneKey(phoneNumber: string): string {
    return this.hasher.key(phoneNumber);
  }

  async startSignIn(phoneNumber: string, purpose: SignInPurpose): Promise<SignInChallenge> {
    const challengeId = randomUUID();
    if (purpose === 'official' && !this.options.officialPhoneNumbers.has(phoneNumber)) return { challengeId };
    const code = newSmsCode();
    const expiresAt = new Date(this.now().getTime() + this.options.challengeTtlSeconds * 1000);
    await this.challenges.create({ challengeId, purpose, phoneNumber, codeHash: smsCodeHash(challengeId, code), expiresAt });
    await this.sms.send(phoneNumber, smsCodeMessage(code));
    return { challengeId, devCode: this.options.echoCodes ? code : undefined };
  }

  async challengePhoneKey(challengeId: string, purpose: SignInPurpose): Promise<string | undefined> {
    const phoneNumber = await this.challenges.phoneNumberOf(challengeId, purpose, this.now());
    return phoneNumber === undefined ? undefined : this.phoneKey(phoneNumber);
  }

  async completeSignIn(challengeId: string, code: string): Promise<SessionGrant> {
    const phoneNumber = await this.answer(challengeId, 'device', code);
    const username = this.hasher.username('device', phoneNumber);
    await this.createUserIfNew(username, phoneNumber);
    return this.session(await this.adminAuthenticate(username));
  }

  async confirmPhone(challengeId: string, code: string): Promise<void> {
    await this.answer(challengeId, 'device', code);
  }

  async completeOfficialSignIn(challengeId: string, code: string, totp: string): Promise<SessionGrant> {
    const phoneNumber = await this.answer(challengeId, 'official', code);
    const username = await this.officialUser(phoneNumber);
    const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.options.userPoolId, Username: username }));
    if (user.UserMFASettingList?.includes(SOFTWARE_TOKEN_MFA)) return this.session(await this.mfaAuthenticate(username, totp));
    return this.session(await this.confirmEnrolment(username, totp));
  }

  async enrolOfficialTotp(challengeId: string, code: string): Promise<TotpEnrolment> {
    const phoneNumber = await this.answer(challengeId, 'official', code);
    const username = await this.officialUser(phoneNumber);
    const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.options.userPoolId, Username: username }));
    if (user.UserMFASettingList?.includes(SOFTWARE_TOKEN_MFA)) throw new SecondFactorError('already_enrolled');
    // Without MFA enabled yet, the admin flow yields tokens: only to associate the secret, then revoked.
    const tokens = await this.adminAuthenticate(username);
    try {
      const { SecretCode } = await this.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }));
      if (!SecretCode) throw new Error('Cognito returned no software-token secret');
      return { secret: SecretCode, otpauthUri: totpUri(SecretCode, `official-${username.slice(2, 10)}`) };
    } finally {
      if (tokens.RefreshToken) await this.revokeUpstream(tokens.RefreshToken);
    }
  }

  async refreshAccess(_subject: string, upstream: string | undefined): Promise<{ accessToken: string; expiresIn: number }> {
    if (!upstream) throw new RefreshTokenError('invalid');
    try {
      const { AuthenticationResult: result } = await this.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: this.options.userPoolId,
          ClientId: this.options.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: upstream },
        }),
      );
      if (!result?.AccessToken) throw new RefreshTokenError('invalid');
      return { accessToken: result.AccessToken, expiresIn: await this.expiresIn(result) };
    } catch (error) {
      if (isNamed(error, 'NotAuthorizedException') || isNamed(error, 'UserNotFoundException')) throw new RefreshTokenError('invalid');
      throw error;
    }
  }

  async revokeUpstream(upstream: string): Promise<void> {
    try {
      await this.cognito.send(new RevokeTokenCommand({ ClientId: this.options.clientId, Token: upstream }));
    } catch (error) {
      // Already revoked, or its user deleted: nothing left to revoke.
      if (!isNamed(error, 'NotAuthorizedException') && !isNamed(error, 'UnsupportedTokenTypeException')) throw error;
    }
  }

  verifyAccessToken(token: string): Promise<Principal> {
    return this.verifier.verify(token);
  }

  officialStanding(principal: Principal): Promise<OfficialStanding> {
    return this.standing.get(principal.username, async () => {
      const group = { UserPoolId: this.options.userPoolId, Username: principal.username };
      try {
        const [groups, user] = await Promise.all([
          this.cognito.send(new AdminListGroupsForUserCommand(group)),
          this.cognito.send(new AdminGetUserCommand(group)),
        ]);
        return {
          official: (groups.Groups ?? []).some((g) => g.GroupName === OFFICIALS_GROUP),
          mfa: user.UserMFASettingList?.includes(SOFTWARE_TOKEN_MFA) ?? false,
        };
      } catch (error) {
        if (isNamed(error, 'UserNotFoundException')) return { official: false, mfa: false };
        throw error;
      }
    });
  }

  async removeOfficialRole(phoneNumber: string): Promise<void> {
    const Username = this.hasher.username('official', phoneNumber);
    try {
      await this.cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: this.options.userPoolId, Username, GroupName: OFFICIALS_GROUP }));
    } catch (error) {
      if (!isNamed(error, 'UserNotFoundException')) throw error;
    }
  }

  /** Forgets the user and any sign-in still pending for its phone. */
  async deleteUser(subject: string): Promise<void> {
    try {
      // Cognito's admin API accepts a local user's `sub` in place of the username.
      const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.options.userPoolId, Username: subject }));
      const phone = user.UserAttributes?.find((a) => a.Name === 'phone_number')?.Value;
      if (phone) await this.challenges.deleteForPhone(phone);
      await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.options.userPoolId, Username: subject }));
    } catch (error) {
      if (!isNamed(error, 'UserNotFoundException')) throw error;
    }
  }

  purgeExpiredChallenges(): Promise<number> {
    return this.challenges.purgeExpired(this.now());
  }

  /** The number whose SMS code this is; throws SignInChallengeError otherwise. */
  private async answer(challengeId: string, purpose: SignInPurpose, code: string): Promise<string> {
    const answer = smsCodeHash(challengeId, code);
    const outcome = await this.challenges.answer(challengeId, purpose, (stored) => sameSmsCodeHash(stored, answer), this.now(), this.options.maxFailedAttempts);
    if ('error' in outcome) throw new SignInChallengeError(outcome.error);
    return outcome.phoneNumber;
  }

  /** The official's own user, in the officials group while listed; refused once the listing is gone. */
  private async officialUser(phoneNumber: string): Promise<string> {
    const username = this.hasher.username('official', phoneNumber);
    await this.createUserIfNew(username, phoneNumber);
    const group = { UserPoolId: this.options.userPoolId, Username: username, GroupName: OFFICIALS_GROUP };
    if (!this.options.officialPhoneNumbers.has(phoneNumber)) {
      await this.cognito.send(new AdminRemoveUserFromGroupCommand(group));
      throw new SignInChallengeError('unknown');
    }
    await this.cognito.send(new AdminAddUserToGroupCommand(group));
    return username;
  }

  /** Cognito's software-token MFA: it checks the authenticator code itself. */
  private async mfaAuthenticate(username: string, totp: string): Promise<AuthenticationResultType> {
    const password = await this.resetPassword(username);
    const started = await this.cognito.send(
      new InitiateAuthCommand({ ClientId: this.options.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
    );
    if (started.ChallengeName !== SOFTWARE_TOKEN_MFA || !started.Session) {
      throw new Error(`Cognito did not ask for the official's software token (got ${started.ChallengeName ?? 'tokens'}): is MFA enabled on the pool?`);
    }
    try {
      const { AuthenticationResult: result } = await this.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.options.clientId,
          ChallengeName: SOFTWARE_TOKEN_MFA,
          Session: started.Session,
          ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: totp },
        }),
      );
      if (!result?.AccessToken) throw new Error('Cognito returned no access token after the software token');
      return result;
    } catch (error) {
      if (isNamed(error, 'CodeMismatchException') || isNamed(error, 'ExpiredCodeException')) throw new SecondFactorError('mismatch');
      throw error;
    }
  }

  /** First sign-in after enrolment: Cognito verifies the code, then software-token MFA is switched on. */
  private async confirmEnrolment(username: string, totp: string): Promise<AuthenticationResultType> {
    const tokens = await this.adminAuthenticate(username);
    try {
      await this.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: tokens.AccessToken, UserCode: totp, FriendlyDeviceName: 'authenticator' }));
      await this.cognito.send(
        new SetUserMFAPreferenceCommand({ AccessToken: tokens.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
      );
      return tokens;
    } catch (error) {
      if (tokens.RefreshToken) await this.revokeUpstream(tokens.RefreshToken);
      if (isNamed(error, 'CodeMismatchException') || isNamed(error, 'EnableSoftwareTokenMFAException')) throw new SecondFactorError('mismatch');
      if (isNamed(error, 'InvalidParameterException')) throw new SecondFactorError('not_enrolled');
      throw error;
    }
  }

  private async session(result: AuthenticationResultType): Promise<SessionGrant> {
    const principal = await this.verifier.verify(result.AccessToken!);
    return { accessToken: result.AccessToken!, expiresIn: await this.expiresIn(result), subject: principal.subject, upstreamRefreshToken: result.RefreshToken };
  }

  /** Cognito says ExpiresIn; cognito-local does not, so then the token's own `exp`. */
  private async expiresIn(result: AuthenticationResultType): Promise<number> {
    if (result.ExpiresIn) return result.ExpiresIn;
    const payload = JSON.parse(Buffer.from(result.AccessToken!.split('.')[1] ?? '', 'base64url').toString()) as { exp?: number };
    return Math.max(0, (payload.exp ?? 0) - Math.floor(this.now().getTime() / 1000));
  }

  private async createUserIfNew(username: string, phoneNumber: string): Promise<void> {
    try {
      await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.options.userPoolId,
          Username: username,
          UserAttributes: [
            { Name: 'phone_number', Value: phoneNumber },
            { Name: 'phone_number_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
    } catch (error) {
      if (!isNamed(error, 'UsernameExistsException')) throw error;
    }
  }

  private async resetPassword(username: string): Promise<string> {
    const password = randomPassword();
    await this.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: this.options.userPoolId, Username: username, Password: password, Permanent: true }));
    return password;
  }

  private async adminAuthenticate(username: string): Promise<AuthenticationResultType> {
    for (let attempt = 1; ; attempt++) {
      const password = await this.resetPassword(username);
      try {
        const { AuthenticationResult: result } = await this.cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: this.options.userPoolId,
            ClientId: this.options.clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: username, PASSWORD: password },
          }),
        );
        if (!result?.AccessToken) throw new Error('Cognito returned no access token (a challenge such as MFA for a device user?)');
        return result;
      } catch (error) {
        const raced = isNamed(error, 'NotAuthorizedException') || isNamed(error, 'InvalidPasswordException');
        if (!raced || attempt >= MAX_AUTH_ATTEMPTS) throw error;
      }
    }
  }
}

/** Meets any Cognito password policy (upper, lower, digit, symbol, ≤ 256 characters); never stored. */
function randomPassword(): string {
  return `${randomBytes(24).toString('base64url')}Aa1!`;
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
