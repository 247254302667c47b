import { generateSecret, generateURI, verifySync } from 'otplib';

/** RFC 6238 codes as authenticator apps (and Cognito's software tokens) make them: SHA-1, 6 digits, 30 s. */
const PERIOD_SECONDS = 30;
/** One step either side, for clock drift between the phone and the server. */
const TOLERANCE_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, label: string): string {
  return generateURI({ issuer: 'Proxitrace', label, secret, period: PERIOD_SECONDS });
}

/**
 * Checks `code` at `now`; returns the time step it matched, or undefined. A step at or before
 * `afterStep` (the last one accepted) is refused, so a code cannot be replayed.
 */
export function verifyTotp(secret: string, code: string, now: Date, afterStep?: number): number | undefined {
  try {
    const result = verifySync({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      period: PERIOD_SECONDS,
      epochTolerance: TOLERANCE_SECONDS,
      ...(afterStep === undefined ? {} : { afterTimeStep: afterStep }),
    });
    return result.valid ? (result as { timeStep?: number }).timeStep : undefined;
  } catch {
    return undefined;
  }
}
