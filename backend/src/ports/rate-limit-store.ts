/**
 * Counters behind the rate limits (sign-in, SMS budget, officials' verification codes). A key names
 * one counter in one time window (the caller puts the window in the key), so a counter only grows
 * and is forgotten once it expires. Atomic across processes: every Lambda instance shares them.
 */
export interface RateLimitStore {
  /**
   * Counts `amount` events (default 1) on `key` unless the counter would then exceed `limit`;
   * `allowed` says which. The counter lives until `expiresAt`. With an unreachable limit it is a
   * plain shared counter (the operational counts in /v1/admin/stats).
   */
  take(key: string, limit: number, expiresAt: Date, now: Date, amount?: number): Promise<{ allowed: boolean; count: number }>;
  /** The counter and the time of its last counted event, unless it is absent or expired. */
  peek(key: string, now: Date): Promise<{ count: number; lastAt: Date } | undefined>;
  /** Deletes expired counters; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}
