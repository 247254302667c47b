/** A one-time code a health official hands to a person who tested positive. */
export interface VerificationCodeRecord {
  /** SHA-256 of the code: the code itself is never stored. */
  codeHash: string;
  issuedBy: string;
  issuedAt: Date;
  expiresAt: Date;
  usedAt?: Date | undefined;
}

// Crockford's base32 without I, L, O, U: easy to read aloud and to type.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VERIFICATION_CODE_LENGTH = 10;

/** Formats 10 random bytes as a 10-character code (50 bits of entropy). */
export function formatVerificationCode(random: Uint8Array): string {
  if (random.length < VERIFICATION_CODE_LENGTH) throw new RangeError('need 10 random bytes');
  let code = '';
  for (let i = 0; i < VERIFICATION_CODE_LENGTH; i++) code += ALPHABET[random[i]! & 31];
  return code;
}

/** Upper-cases and drops separators, so "abcd-efgh-23" and "ABCDEFGH23" are the same code. */
export function normalizeVerificationCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}
