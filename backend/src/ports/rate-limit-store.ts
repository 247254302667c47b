/**
 * Counters behind the rate limits (sign-in, SMS budget, officials' verification codes). A key names
 * one counter in one time window (the caller puts the window in the key), so a counter only grows
 * and is forgotten once it expires. Atomic across processes: every Lambda instance shares them.
 */
export interface RateLimitStore {
  /**
   * Counts one event on `key` unless the counter already holds `limit`; `allowed` says which. The
   * counter lives until `expiresAt`.
   */
  take(key: string, limit: number, expiresAt: Date, now: Date): Promise<{ allowed: boolean; count: number }>;
  /** The counter and the time of its last counted event, unless it is absent or expired. */
  peek(key: string, now: Date): Promise<{ count: number; lastAt: Date } | undefined>;
  /** Deletes expired counters; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}
