import { TOKEN_BYTES } from './token-layout.js';

/** Tokens travel as unpadded base64url: 16 bytes → 22 characters. */
export const TOKEN_STRING_LENGTH = 22;
export const TOKEN_STRING_PATTERN = /^[A-Za-z0-9_-]{21}[AQgw]$/;

export function encodeToken(token: Buffer): string {
  return token.toString('base64url');
}

/** Returns undefined for anything that is not exactly 16 bytes of canonical base64url. */
export function decodeToken(text: string): Buffer | undefined {
  if (!TOKEN_STRING_PATTERN.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === TOKEN_BYTES ? bytes : undefined;
}
