import { randomBytes, randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { SignInChallengeError } from '../../domain/errors.js';
import { OFFICIALS_GROUP, type Identity, type Principal, type SignInChallenge, type SignInResult } from '../../ports/identity.js';
import type { DynamoSignInChallenges } from '../dynamodb/dynamo-sign-in-challenges.js';
import type { AccessTokenVerifier } from '../jwt/access-token-verifier.js';
import type { SmsSender } from '../local-identity/sms-sender.js';
import { newSmsCode, sameSmsCodeHash, smsCodeHash, smsCodeMessage } from '../sms-code/sms-code.js';

export interface CognitoIdentityOptions {
  userPoolId: string;
  /** An app client allowing ADMIN_USER_PASSWORD_AUTH, without a client secret. */
  clientId: string;
  officialPhoneNumbers: ReadonlySet<string>;
  challengeTtlSeconds: number;
  maxFailedAttempts: number;
  /** Developer mode: hand the SMS code back in the response. Never in production. */
  echoCodes: boolean;
}

/** Concurrent sign-ins of one phone each set a password; the loser sets its own again. */
const MAX_AUTH_ATTEMPTS = 3;

/**
 * Phone sign-in on a Cognito user pool. The backend runs the SMS one-time code itself (a hashed
 * code with expiry and attempt limit in DynamoDB, the SMS through an `SmsSender`), because
 * cognito-local has no CUSTOM_AUTH; once the code is right it obtains Cognito's tokens with the
 * admin API: the user is created on first sign-in (username = phone number), given a fresh random
 * password that is kept nowhere, and authenticated with ADMIN_USER_PASSWORD_AUTH. Officials are
 * the members of the `officials` group, kept in step with OFFICIAL_PHONE_NUMBERS at each sign-in.
 */
export class CognitoIdentity implements Identity {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly challenges: DynamoSignInChallenges,
    private readonly verifier: AccessTokenVerifier,
    private readonly sms: SmsSender,
    private readonly options: CognitoIdentityOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async startSignIn(phoneNumber: string): Promise<SignInChallenge> {
    const challengeId = randomUUID();
    const code = newSmsCode();
    const expiresAt = new Date(this.now().getTime() + this.options.challengeTtlSeconds * 1000);
    await this.challenges.create({ challengeId, phoneNumber, codeHash: smsCodeHash(challengeId, code), expiresAt });
    await this.sms.send(phoneNumber, smsCodeMessage(code));
    return { challengeId, devCode: this.options.echoCodes ? code : undefined };
  }

  async completeSignIn(challengeId: string, code: string): Promise<SignInResult> {
    const answer = smsCodeHash(challengeId, code);
    const outcome = await this.challenges.answer(challengeId, (stored) => sameSmsCodeHash(stored, answer), this.now(), this.options.maxFailedAttempts);
    if ('error' in outcome) throw new SignInChallengeError(outcome.error);
    const { phoneNumber } = outcome;
    const created = await this.createUserIfNew(phoneNumber);
    await this.syncOfficialRole(phoneNumber, created);
    const accessToken = await this.authenticate(phoneNumber);
    const principal = await this.verifier.verify(accessToken);
    return { accessToken, subject: principal.subject };
  }

  verifyAccessToken(token: string): Promise<Principal> {
    return this.verifier.verify(token);
  }

  /** Forgets the user and any sign-in still pending for its phone. */
  async deleteUser(subject: string): Promise<void> {
    try {
      const user = await this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.options.userPoolId, Username: subject }));
      const phone = user.UserAttributes?.find((a) => a.Name === 'phone_number')?.Value;
      if (phone) await this.challenges.deleteForPhone(phone);
      await this.cognito.send(new AdminDeleteUserCommand({ UserPoolId: this.options.userPoolId, Username: subject }));
    } catch (error) {
      if (!isNamed(error, 'UserNotFoundException')) throw error; // erasing twice is fine
    }
  }

  purgeExpiredChallenges(): Promise<number> {
    return this.challenges.purgeExpired(this.now());
  }

  /** Returns true when this call created the user. */
  private async createUserIfNew(phoneNumber: string): Promise<boolean> {
    try {
      await this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.options.userPoolId,
          Username: phoneNumber,
          UserAttributes: [
            { Name: 'phone_number', Value: phoneNumber },
            { Name: 'phone_number_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
      return true;
    } catch (error) {
      if (isNamed(error, 'UsernameExistsException')) return false;
      throw error;
    }
  }

  private async syncOfficialRole(phoneNumber: string, created: boolean): Promise<void> {
    const group = { UserPoolId: this.options.userPoolId, Username: phoneNumber, GroupName: OFFICIALS_GROUP };
    if (this.options.officialPhoneNumbers.has(phoneNumber)) {
      await this.cognito.send(new AdminAddUserToGroupCommand(group));
    } else if (!created) {
      // No longer listed: the role goes (removing a non-member changes nothing).
      await this.cognito.send(new AdminRemoveUserFromGroupCommand(group));
    }
  }

  private async authenticate(phoneNumber: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const password = randomPassword();
      await this.cognito.send(
        new AdminSetUserPasswordCommand({ UserPoolId: this.options.userPoolId, Username: phoneNumber, Password: password, Permanent: true }),
      );
      try {
        const { AuthenticationResult: result } = await this.cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: this.options.userPoolId,
            ClientId: this.options.clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: phoneNumber, PASSWORD: password },
          }),
        );
        if (!result?.AccessToken) throw new Error('Cognito returned no access token (a challenge such as MFA is configured on the pool?)');
        return result.AccessToken;
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
