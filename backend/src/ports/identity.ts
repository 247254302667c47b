/** Who is calling, once their access token verified. */
export interface Principal {
  subject: string;
  groups: readonly string[];
}

export const OFFICIALS_GROUP = 'officials';

export interface SignInChallenge {
  challengeId: string;
  /** Only when the provider runs in developer echo mode; never in production. */
  devCode?: string | undefined;
}

export interface SignInResult {
  accessToken: string;
  subject: string;
}

/** Phone sign-up and sign-in (Cognito in AWS, a local provider on the embedded default). */
export interface Identity {
  startSignIn(phoneNumber: string): Promise<SignInChallenge>;
  completeSignIn(challengeId: string, code: string): Promise<SignInResult>;
  /** Rejects with InvalidAccessTokenError for anything that is not a valid access token. */
  verifyAccessToken(token: string): Promise<Principal>;
  deleteUser(subject: string): Promise<void>;
}

export class InvalidAccessTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidAccessTokenError';
  }
}
