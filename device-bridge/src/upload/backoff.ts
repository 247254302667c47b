export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with "equal jitter": half the capped exponential delay is fixed, the other
 * half random, so retries from many devices spread out but never collapse to zero.
 * `attempt` counts failures so far (1 for the first retry).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = options.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  const capped = Math.min(options.maxMs, exp);
  return Math.round(capped / 2 + random() * (capped / 2));
}
