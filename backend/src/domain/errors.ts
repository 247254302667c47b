/**
 * Domain errors carry a stable snake_case code; the HTTP layer maps them to a status.
 * They never wrap infrastructure details a client should not see.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details: unknown;

  constructor(message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details ?? null;
  }
}

/** The caller is not allowed to do this (wrong role, erased device). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** A verification code that is unknown, already used or expired. */
export class InvalidVerificationCodeError extends DomainError {
  readonly code: 'verification_code_invalid' | 'verification_code_used' | 'verification_code_expired';

  constructor(reason: 'unknown' | 'used' | 'expired') {
    const code =
      reason === 'used' ? 'verification_code_used' : reason === 'expired' ? 'verification_code_expired' : 'verification_code_invalid';
    super(
      reason === 'used'
        ? 'This verification code has already been used.'
        : reason === 'expired'
          ? 'This verification code has expired.'
          : 'This verification code is not valid.',
    );
    this.code = code;
  }
}

/** A sign-in challenge that is unknown, expired, exhausted or answered wrongly. */
export class SignInChallengeError extends DomainError {
  readonly code: 'challenge_invalid' | 'challenge_expired' | 'challenge_exhausted' | 'code_mismatch';

  constructor(reason: 'unknown' | 'expired' | 'exhausted' | 'mismatch') {
    const map = {
      unknown: ['challenge_invalid', 'This sign-in challenge does not exist.'],
      expired: ['challenge_expired', 'This sign-in challenge has expired; request a new code.'],
      exhausted: ['challenge_exhausted', 'Too many wrong codes; request a new code.'],
      mismatch: ['code_mismatch', 'The code does not match.'],
    } as const;
    const [code, message] = map[reason];
    super(message);
    this.code = code;
  }
}

/** The device holds no warning with this id (never had one, or it expired or was erased). */
export class NotificationNotFoundError extends DomainError {
  readonly code = 'notification_not_found';
}

/** The same batch id was sent again with different content. */
export class BatchConflictError extends DomainError {
  readonly code = 'batch_id_conflict';
}

/** The caller has been erased; its credentials must not be used any more. */
export class DeviceErasedError extends DomainError {
  readonly code = 'device_erased';
}

/** A limit on how often something may be done was reached; try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';

  constructor(
    readonly limit: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`Too many requests (${limit}); try again in ${retryAfterSeconds} s.`, { limit, retryAfterSeconds });
  }
}

/** SMS is not sent to this number's country (the allow-list of calling codes). */
export class PhoneNumberNotSupportedError extends DomainError {
  readonly code = 'phone_number_not_supported';
}

/** A refresh token that is unknown, expired, revoked or was used twice (which revokes its family). */
export class RefreshTokenError extends DomainError {
  readonly code: 'refresh_token_invalid' | 'refresh_token_reused';

  constructor(reason: 'invalid' | 'reused') {
    super(
      reason === 'reused'
        ? 'This refresh token was already used: every session of its family is revoked; sign in again.'
        : 'The refresh token is unknown, expired or revoked; sign in again.',
    );
    this.code = reason === 'reused' ? 'refresh_token_reused' : 'refresh_token_invalid';
  }
}

/** An official's second factor: missing, wrong, or not enrolled yet (or already enrolled). */
export class SecondFactorError extends DomainError {
  readonly code: 'totp_mismatch' | 'totp_not_enrolled' | 'totp_already_enrolled' | 'mfa_required';

  constructor(reason: 'mismatch' | 'not_enrolled' | 'already_enrolled' | 'required') {
    const map = {
      mismatch: ['totp_mismatch', 'The authenticator code does not match.'],
      not_enrolled: ['totp_not_enrolled', 'No authenticator is enrolled for this official yet; enrol one first.'],
      already_enrolled: ['totp_already_enrolled', 'An authenticator is already enrolled; ask an administrator to reset it.'],
      required: ['mfa_required', 'Officials must sign in with their authenticator code (second factor).'],
    } as const;
    const [code, message] = map[reason];
    super(message);
    this.code = code;
  }
}
