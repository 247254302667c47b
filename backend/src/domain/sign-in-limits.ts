/**
 * The limits on SMS sign-in, as pure rules. Fixed windows: a counter per key and window, whose
 * key carries the window's index, so every counter only grows until it expires.
 */
export interface WindowLimit {
  /** Named in the 429's details. */
  name: string;
  limit: number;
  windowMs: number;
}

export interface FailureBackoff {
  /** Wrong codes per number and day before any waiting is imposed (one challenge's worth). */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures are counted per number in windows of this length (a day). */
  windowMs: number;
}

export interface SignInLimits {
  /** SMS challenges per phone number: every mode, every address. */
  smsPerNumber: readonly WindowLimit[];
  /** SMS challenges and code answers per client address, except addresses `unlimitedAddress` accepts. */
  smsPerAddress: WindowLimit;
  verifyPerAddress: WindowLimit;
  /** All SMS sent by the deployment (the bill's cap). */
  smsBudget: WindowLimit;
  backoff: FailureBackoff;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The per-number rules, which configuration cannot loosen. */
export const SMS_PER_NUMBER: readonly WindowLimit[] = [
  { name: 'sms_per_number_15min', limit: 3, windowMs: 15 * 60_000 },
  { name: 'sms_per_number_day', limit: 10, windowMs: DAY_MS },
];

export const FAILURE_BACKOFF: FailureBackoff = { freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: HOUR_MS, windowMs: DAY_MS };

/** The fixed window `at` falls in: its index (for the counter's key) and when it ends. */
export function windowAt(at: Date, windowMs: number): { index: number; endsAt: Date } {
  const index = Math.floor(at.getTime() / windowMs);
  return { index, endsAt: new Date((index + 1) * windowMs) };
}

/** How long a number must wait after its `failures`-th wrong code of the day before the next answer. */
export function backoffDelayMs(failures: number, b: FailureBackoff): number {
  if (failures < b.freeFailures) return 0;
  return Math.min(b.maxDelayMs, b.baseDelayMs * 2 ** (failures - b.freeFailures));
}

/** Whole seconds for a Retry-After header: never 0 while a wait remains. */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}

/**
 * Whether SMS may go to this E.164 number: its digits start with an allowed calling code (codes
 * are prefix-free, so a prefix match is exact; longer prefixes such as 1242 narrow a shared code).
 */
export function callingCodeAllowed(phoneNumber: string, allowed: readonly string[] | 'any'): boolean {
  return allowed === 'any' || allowed.some((code) => phoneNumber.startsWith(`+${code}`));
}
