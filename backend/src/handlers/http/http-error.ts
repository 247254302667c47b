import { DomainError, RateLimitedError } from '../../domain/errors.js';
import { InvalidAccessTokenError } from '../../ports/identity.js';

/** An error that already knows its HTTP status and stable error code. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const DOMAIN_STATUS: Record<string, number> = {
  forbidden: 403,
  verification_code_invalid: 422,
  verification_code_used: 409,
  verification_code_expired: 410,
  challenge_invalid: 404,
  challenge_expired: 410,
  challenge_exhausted: 429,
  code_mismatch: 401,
  batch_id_conflict: 409,
  notification_not_found: 404,
  device_erased: 401,
  rate_limited: 429,
  phone_number_not_supported: 422,
  refresh_token_invalid: 401,
  refresh_token_reused: 401,
  totp_mismatch: 401,
  totp_not_enrolled: 409,
  totp_already_enrolled: 409,
  mfa_required: 403,
  owner_verification_invalid: 422,
  device_unknown: 422,
  device_signature_invalid: 422,
};

/** Maps whatever a handler threw to an HttpError; undefined means it is our fault (a 500). */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof RateLimitedError) {
    return new HttpError(429, error.code, error.message, error.details, { 'retry-after': String(error.retryAfterSeconds) });
  }
  if (error instanceof DomainError) return new HttpError(DOMAIN_STATUS[error.code] ?? 400, error.code, error.message, error.details);
  if (error instanceof InvalidAccessTokenError) {
    return new HttpError(401, 'unauthorized', 'The access token is missing, expired or invalid.', { reason: error.message });
  }
  return undefined;
}
