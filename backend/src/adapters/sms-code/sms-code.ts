import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The one-time SMS sign-in code both identity providers run: six random digits, stored only as a
 * hash bound to its challenge, compared in constant time.
 */
export function newSmsCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function smsCodeMessage(code: string): string {
  return `Your Proxitrace code is ${code}`;
}

export function smsCodeHash(challengeId: string, code: string): string {
  return createHash('sha256').update(`${challengeId}:${code}`).digest('base64url');
}

export function sameSmsCodeHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
