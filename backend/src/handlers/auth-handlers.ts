import {
  officialVerifyRequestSchema,
  refreshRequestSchema,
  smsRequestSchema,
  verifyRequestSchema,
} from '../api/schemas.js';
import { openSession, refreshSession, type IssuedSession } from '../application/refresh-sessions.js';
import type { BackendServices } from '../composition/backend-services.js';
import { SignInChallengeError, SecondFactorError } from '../domain/errors.js';
import type { SignInPurpose } from '../ports/identity.js';
import { clientAddress } from './http/authenticate.js';
import { HttpError } from './http/http-error.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** POST /v1/auth/sms: starts a device's phone sign-in; the code goes out by SMS. */
export function makeRequestSmsCode(s: BackendServices): HttpLambda {
  return smsChallenge(s, 'device');
}

/** POST /v1/auth/official/sms: the same for a health official (nothing is sent to other numbers). */
export function makeRequestOfficialSmsCode(s: BackendServices): HttpLambda {
  return smsChallenge(s, 'official');
}

/** POST /v1/auth/verify: answers the challenge; returns the session and the device id. */
export function makeVerifySmsCode(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { challengeId, code } = parseJsonBody(event, verifyRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const grant = await guarded(s, event, challengeId, 'device', () => s.identity.completeSignIn(challengeId, code));
    const session = await openSession(sessions(s), grant, s.config.signIn.refreshTokenTtlMs);
    const device = await s.devices.ensureDevice(grant.subject, s.clock());
    return jsonResponse(200, { ...sessionBody(session), deviceId: device.subject });
  });
}

/** POST /v1/auth/official/verify: an official's SMS code and authenticator code; returns the session. */
export function makeVerifyOfficial(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { challengeId, code, totp } = parseJsonBody(event, officialVerifyRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const grant = await guarded(s, event, challengeId, 'official', () => s.identity.completeOfficialSignIn(challengeId, code, totp));
    const session = await openSession(sessions(s), grant, s.config.signIn.officialSessionMs);
    s.logger.info('official signed in', { official: grant.subject });
    return jsonResponse(200, sessionBody(session));
  });
}

/** POST /v1/auth/official/totp: an official without an authenticator answers an SMS challenge and gets a TOTP secret. */
export function makeEnrolOfficialTotp(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { challengeId, code } = parseJsonBody(event, verifyRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const enrolment = await guarded(s, event, challengeId, 'official', () => s.identity.enrolOfficialTotp(challengeId, code));
    s.logger.info('official authenticator enrolment started');
    return jsonResponse(200, enrolment);
  });
}

/** POST /v1/auth/refresh: a single-use refresh token for a new access token and the next refresh token. */
export function makeRefreshSession(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { refreshToken } = parseJsonBody(event, refreshRequestSchema, { maxBytes: s.config.maxBodyBytes });
    try {
      return jsonResponse(200, sessionBody(await refreshSession(sessions(s), refreshToken)));
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'refresh_token_reused') s.logger.warn('refresh token reused: family revoked');
      throw error;
    }
  });
}

function smsChallenge(s: BackendServices, purpose: SignInPurpose): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { phoneNumber } = parseJsonBody(event, smsRequestSchema, { maxBytes: s.config.maxBodyBytes });
    await s.signInThrottle.beforeSms(phoneNumber, s.identity.phoneKey(phoneNumber), clientAddress(event));
    const challenge = await s.identity.startSignIn(phoneNumber, purpose);
    return jsonResponse(202, challenge.devCode ? challenge : { challengeId: challenge.challengeId });
  });
}

/**
 * Runs an answer to a challenge under the sign-in limits: the client's address and the number's
 * back-off first; a wrong code (or authenticator code) is counted against the number.
 */
async function guarded<T>(s: BackendServices, event: APIGatewayProxyEventV2, challengeId: string, purpose: SignInPurpose, answer: () => Promise<T>): Promise<T> {
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

function sessions(s: BackendServices) {
  return { families: s.refreshFamilies, identity: s.identity, clock: s.clock };
}

function sessionBody(session: IssuedSession) {
  return {
    accessToken: session.accessToken,
    expiresIn: session.expiresIn,
    refreshToken: session.refreshToken,
    refreshExpiresAt: session.refreshExpiresAt.toISOString(),
  };
}
