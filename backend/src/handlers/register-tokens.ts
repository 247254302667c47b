import { tokensRequestSchema } from '../api/schemas.js';
import { issueTokens } from '../application/issue-tokens.js';
import type { DeviceCaller, ServicesOf } from '../composition/backend-services.js';
import { authenticateDevice } from './http/authenticate.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { parseJsonBody } from './http/request-body.js';
import { jsonResponse } from './http/responses.js';

/** POST /v1/tokens: tokens for the current and following windows, durably recorded first. */
export function makeRegisterTokens(s: ServicesOf<'cipher' | 'tokenRegistry'> & DeviceCaller): HttpLambda {
  const deps = { cipher: s.cipher, registry: s.tokenRegistry, tokenTtlMinutes: s.config.tokenTtlMinutes, clock: s.clock };
  return httpHandler(s.logger, async (event) => {
    const device = await authenticateDevice(event, s);
    const { count } = parseJsonBody(event, tokensRequestSchema, { maxBytes: s.config.maxBodyBytes, allowEmpty: true });
    const tokens = await issueTokens(deps, device, count);
    return jsonResponse(201, {
      tokens: tokens.map((t) => ({ token: t.token, validFrom: t.validFrom.toISOString(), validUntil: t.validUntil.toISOString() })),
    });
  });
}
