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

/** The same batch id was sent again with different content. */
export class BatchConflictError extends DomainError {
  readonly code = 'batch_id_conflict';
}

/** The caller has been erased; its credentials must not be used any more. */
export class DeviceErasedError extends DomainError {
  readonly code = 'device_erased';
}
