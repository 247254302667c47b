import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { BackendServices } from '../../composition/backend-services.js';
import { SecondFactorError, SignInChallengeError } from '../../domain/errors.js';
import type { SignInChallenge, SignInPurpose } from '../../ports/identity.js';
import { clientAddress } from './authenticate.js';
import { HttpError } from './http-error.js';

/**
 * Every SMS challenge, whoever asks for it (a device signing in, an official, a dedicated device's
 * owner), goes out under the same limits: per number, per client address and the SMS budget.
 */
export async function throttledChallenge(s: Pick<BackendServices, 'identity' | 'signInThrottle'>, event: APIGatewayProxyEventV2, phoneNumber: string, purpose: SignInPurpose): Promise<SignInChallenge> {
  await s.signInThrottle.beforeSms(phoneNumber, s.identity.phoneKey(phoneNumber), clientAddress(event));
  return s.identity.startSignIn(phoneNumber, purpose);
}

/**
 * Runs an answer to a challenge under the sign-in limits: the client's address and the number's
 * back-off first; a wrong code (or authenticator code) is counted against the number.
 */
export async function guardedAnswer<T>(s: Pick<BackendServices, 'identity' | 'signInThrottle'>, event: APIGatewayProxyEventV2, challengeId: string, purpose: SignInPurpose, answer: () => Promise<T>): Promise<T> {
  const phoneKey = await s.identity.challengePhoneKey(challengeId, purpose);
  if (phoneKey === undefined) throw new SignInChallengeError('unknown');
  await s.signInThrottle.beforeVerify(phoneKey, clientAddress(event));
  try {
    return await answer();
  } catch (error) {
    if (error instanceof SignInChallengeError && error.code === 'challenge_exhausted') {
      const retryAfter = await s.signInThrottle.retryAfterSeconds(phoneKey);
      throw new HttpError(429, error.code, error.message, { retryAfterSeconds: retryAfter }, { 'retry-after': String(retryAfter) });
    }
    const wrong = (error instanceof SignInChallengeError && error.code === 'code_mismatch') || (error instanceof SecondFactorError && error.code === 'totp_mismatch');
    if (wrong) await s.signInThrottle.failed(phoneKey);
    throw error;
  }
}
