import type { AnalyticsFamily, PseudonymKey } from '../domain/analytics/pseudonym.js';

/**
 * The secret keys behind the analytics pseudonyms: one per analytics index and ISO week, random,
 * created on first use (the same for every caller and instance), and deleted once the records made
 * with it have passed their retention. They live in the operational store, never beside the
 * analytics records: whoever holds only the analytics store cannot compute a device's pseudonym.
 */
export interface PseudonymKeys {
  keyFor(family: AnalyticsFamily, week: number): Promise<PseudonymKey>;
  /** Every key still held for the family, oldest first. */
  heldKeys(family: AnalyticsFamily): Promise<PseudonymKey[]>;
  /** Deletes the keys whose records have all expired; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

/** When a week's key may go: once the last record made with it (on the week's last day) has expired. */
export function keyExpiry(week: number, retentionMs: number): number {
  return week + 7 * 86_400_000 + retentionMs;
}
