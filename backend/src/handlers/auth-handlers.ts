import { smsRequestSchema, verifyRequestSchema } from '../api/schemas.js';
import type { BackendServices } from '../composition/backend-services.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';

/** POST /v1/auth/sms: starts a phone sign-in; the code goes out by SMS. */
export function makeRequestSmsCode(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { phoneNumber } = parseJsonBody(event, smsRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const challenge = await s.identity.startSignIn(phoneNumber);
    return jsonResponse(202, challenge.devCode ? challenge : { challengeId: challenge.challengeId });
  });
}

/** POST /v1/auth/verify: answers the challenge; returns an access token and the device id. */
export function makeVerifySmsCode(s: BackendServices): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const { challengeId, code } = parseJsonBody(event, verifyRequestSchema, { maxBytes: s.config.maxBodyBytes });
    const { accessToken, subject } = await s.identity.completeSignIn(challengeId, code);
    const device = await s.devices.ensureDevice(subject, s.clock());
    return jsonResponse(200, { accessToken, deviceId: device.subject });
  });
}
