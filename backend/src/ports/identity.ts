/** Who is calling, once their access token verified. */
export interface Principal {
  subject: string;
  /** The identity provider's username: opaque, never a phone number. */
  username: string;
  groups: readonly string[];
  /** How the session was authenticated, when the token says (the local provider's `amr`); Cognito's tokens do not. */
  amr: readonly string[];
}

export const OFFICIALS_GROUP = 'officials';

export type SignInPurpose = 'device' | 'official';

export interface SignInChallenge {
  challengeId: string;
  /** Only when the provider runs in developer echo mode; never in production. */
  devCode?: string | undefined;
}

/** A fresh session: the access token, and what the refresh-token family needs to renew it. */
export interface SessionGrant {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  subject: string;
  /** The provider's own refresh token (Cognito's); the local provider needs none. */
  upstreamRefreshToken?: string | undefined;
}

export interface TotpEnrolment {
  /** Base32 secret for the official's authenticator app; shown once, never stored in clear. */
  secret: string;
  otpauthUri: string;
}

/** What the directory says of an official now: the role, and whether the second factor guards the session. */
export interface OfficialStanding {
  official: boolean;
  mfa: boolean;
}

/**
 * Phone sign-in (Cognito in AWS, a local provider on the embedded default). Devices answer an SMS
 * code; officials answer an SMS code and an authenticator code (TOTP), through their own flow.
 */
export interface Identity {
  /** Keyed hash of a phone number: how rate limits count a number without storing it. */
  phoneKey(phoneNumber: string): string;
  /** An official challenge for a number that is no official's sends nothing and can never be answered. */
  startSignIn(phoneNumber: string, purpose: SignInPurpose): Promise<SignInChallenge>;
  /** The phoneKey of the number a live challenge of this purpose went to. */
  challengePhoneKey(challengeId: string, purpose: SignInPurpose): Promise<string | undefined>;
  completeSignIn(challengeId: string, code: string): Promise<SessionGrant>;
  /**
   * Answers a device challenge without signing anyone in: a dedicated device's owner proves the
   * number and gets no user, no session (docs/RELAY.md). Throws SignInChallengeError as a sign-in does.
   */
  confirmPhone(challengeId: string, code: string): Promise<void>;
  /** Officials: the SMS code and the authenticator code together. */
  completeOfficialSignIn(challengeId: string, code: string, totp: string): Promise<SessionGrant>;
  /** Officials with no authenticator yet: answers the SMS challenge and starts enrolment. */
  enrolOfficialTotp(challengeId: string, code: string): Promise<TotpEnrolment>;
  /** A new access token for a live session; throws RefreshTokenError when the user or session is gone. */
  refreshAccess(subject: string, upstreamRefreshToken: string | undefined): Promise<Omit<SessionGrant, 'upstreamRefreshToken' | 'subject'>>;
  /** Revokes the provider's refresh token, if it has one. */
  revokeUpstream(upstreamRefreshToken: string): Promise<void>;
  /** Rejects with InvalidAccessTokenError for anything that is not a valid access token. */
  verifyAccessToken(token: string): Promise<Principal>;
  /** The official's role and second factor as the directory holds them, through a short cache. */
  officialStanding(principal: Principal): Promise<OfficialStanding>;
  /** Takes the officials role away (an administrator's act; also OFFICIAL_PHONE_NUMBERS at start-up). */
  removeOfficialRole(phoneNumber: string): Promise<void>;
  deleteUser(subject: string): Promise<void>;
}

export class InvalidAccessTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidAccessTokenError';
  }
}
