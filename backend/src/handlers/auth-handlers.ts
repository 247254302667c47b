import {
  officialVerifyRequestSchema,
  refreshRequestSchema,
  smsRequestSchema,
  verifyRequestSchema,
} from '../api/schemas.js';
import { openSession, refreshSession, type IssuedSession } from '../application/refresh-sessions.js';
import type { ServicesOf } from '../composition/backend-services.js';
import type { SignInPurpose } from '../ports/identity.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';
import { guardedAnswer, throttledChallenge } from './http/sign-in-guard.js';

/** POST /v1/auth/sms: starts a device's phone sign-in; the code goes out by SMS. */
export function makeRequestSmsCode(s: ServicesOf<'identity' | 'signInThrottle'>): HttpLambda {
  return smsChallenge(s, 'device');
}

/** POST /v1/auth/official/sms: the same for a health official (nothing is sent to other numbers). */
export function makeRequestOfficialSmsCode(s: ServicesOf<'identity' | 'signInThrottle'>): HttpLambda {
  return smsChallenge(s, 'official');
}

/** POST /v1/auth/verify: answers the challenge; returns the session and the device id. */
export function makeVerifySmsCode(s: ServicesOf<'identity' | 'signInThrottle' | 'refreshFamilies' | 'devices'>): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { challengeId, code } = parseJsonBody(event, verifyRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const grant = await guardedAnswer(s, event, challengeId, 'device', () => s.identity.completeSignIn(challengeId, code));
    const session = await openSession(sessions(s), grant, s.config.signIn.refreshTokenTtlMs);
    const device = await s.devices.ensureDevice(grant.subject, s.clock());
    return jsonResponse(200, { ...sessionBody(session), deviceId: device.subject });
  });
}

/** POST /v1/auth/official/verify: an official's SMS code and authenticator code; returns the session. */
export function makeVerifyOfficial(s: ServicesOf<'identity' | 'signInThrottle' | 'refreshFamilies'>): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { challengeId, code, totp } = parseJsonBody(event, officialVerifyRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const grant = await guardedAnswer(s, event, challengeId, 'official', () => s.identity.completeOfficialSignIn(challengeId, code, totp));
    const session = await openSession(sessions(s), grant, s.config.signIn.officialSessionMs);
    s.logger.info('official signed in', { official: grant.subject });
    return jsonResponse(200, sessionBody(session));
  });
}

/** POST /v1/auth/official/totp: an official without an authenticator answers an SMS challenge and gets a TOTP secret. */
export function makeEnrolOfficialTotp(s: ServicesOf<'identity' | 'signInThrottle'>): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { challengeId, code } = parseJsonBody(event, verifyRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const enrolment = await guardedAnswer(s, event, challengeId, 'official', () => s.identity.enrolOfficialTotp(challengeId, code));
    s.logger.info('official authenticator enrolment started');
    return jsonResponse(200, enrolment);
  });
}

/** POST /v1/auth/refresh: a single-use refresh token for a new access token and the next refresh token. */
export function makeRefreshSession(s: ServicesOf<'identity' | 'refreshFamilies'>): HttpLambda {
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

function smsChallenge(s: ServicesOf<'identity' | 'signInThrottle'>, purpose: SignInPurpose): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { phoneNumber } = parseJsonBody(event, smsRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const challenge = await throttledChallenge(s, event, phoneNumber, purpose);
    return jsonResponse(202, challenge.devCode ? challenge : { challengeId: challenge.challengeId });
  });
}

function sessions(s: ServicesOf<'identity' | 'refreshFamilies'>) {
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
