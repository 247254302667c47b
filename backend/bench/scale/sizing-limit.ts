import { DESIGN_RATES, peakObservationsPerSecond, storedContactsPerUserDay, usersFor, type DesignRates } from './design-population.js';

/**
 * What the embedded default must do at a size to be fit for it: keep up with the uploads of the
 * users that size holds, warn a case's contacts within the prod alarm's time to notify (30 s,
 * infra/aws/config/stages.ts), and answer a device's poll within issue 14's p99 of 100 ms.
 */
export const CRITERIA = { tracingSeconds: 30, notificationsP99Ms: 100 } as const;

export interface LevelMeasure {
  storedContacts: number;
  /** Observations per second the consumer processed at this size. */
  observationsPerSecond: number;
  tracingSeconds: number;
  notificationsP99Ms: number;
  bytesOnDisk: number;
}

export interface LevelVerdict {
  storedContacts: number;
  /** Users whose `days` of contacts this size holds. */
  users: number;
  /** Their peak uploads, observations per second. */
  neededObservationsPerSecond: number;
  /** The consumer's rate over that need. */
  insertHeadroom: number;
  failed: ('insert' | 'tracing' | 'notifications')[];
}

export interface SizingLimit {
  days: number;
  /** The largest measured size at which it, and every size below, met every criterion (0: none did). */
  contacts: number;
  /** Contacts ÷ the design's 50 per user and day: how many users for how many days, as users × days. */
  userDays: number;
  /** The same limit for a few retentions. */
  usersByDays: { days: number; users: number }[];
  /** True when the largest measured size passed: the limit is at least this, and beyond it unmeasured. */
  atLeast: boolean;
  /** What failed at the first size that failed, if one did. */
  failedAt?: { storedContacts: number; failed: LevelVerdict['failed'] } | undefined;
  bytesPerContact: number | undefined;
  verdicts: LevelVerdict[];
}

export function judgeLevel(level: LevelMeasure, days: number, rates: DesignRates = DESIGN_RATES): LevelVerdict {
  const users = usersFor(level.storedContacts, days, rates);
  const needed = peakObservationsPerSecond(users, rates);
  const failed: LevelVerdict['failed'] = [];
  if (level.observationsPerSecond < needed) failed.push('insert');
  if (level.tracingSeconds > CRITERIA.tracingSeconds) failed.push('tracing');
  if (level.notificationsP99Ms > CRITERIA.notificationsP99Ms) failed.push('notifications');
  return { storedContacts: level.storedContacts, users, neededObservationsPerSecond: needed, insertHeadroom: level.observationsPerSecond / needed, failed };
}

export function sizingLimit(levels: readonly LevelMeasure[], days: number, rates: DesignRates = DESIGN_RATES): SizingLimit {
  const sorted = [...levels].sort((a, b) => a.storedContacts - b.storedContacts);
  const verdicts = sorted.map((l) => judgeLevel(l, days, rates));
  const firstFailure = verdicts.findIndex((v) => v.failed.length > 0);
  const passing = firstFailure === -1 ? verdicts : verdicts.slice(0, firstFailure);
  const contacts = passing.length > 0 ? passing[passing.length - 1]!.storedContacts : 0;
  const largest = sorted[sorted.length - 1];
  const userDays = contacts / storedContactsPerUserDay(rates);
  return {
    days,
    contacts,
    userDays,
    usersByDays: [...new Set([7, 14, days])].sort((a, b) => a - b).map((d) => ({ days: d, users: Math.floor(userDays / d) })),
    atLeast: firstFailure === -1 && verdicts.length > 0,
    failedAt: firstFailure === -1 ? undefined : { storedContacts: verdicts[firstFailure]!.storedContacts, failed: verdicts[firstFailure]!.failed },
    bytesPerContact: largest ? largest.bytesOnDisk / largest.storedContacts : undefined,
    verdicts,
  };
}

/** Whether the disk can take the store from `current` to `target` contacts at `bytesPerContact`, with a quarter to spare for the WAL and growth. */
export function diskAllows(current: number, target: number, bytesPerContact: number, freeBytes: number): { ok: boolean; neededBytes: number } {
  const neededBytes = Math.max(0, target - current) * bytesPerContact * 1.25;
  return { ok: neededBytes <= freeBytes, neededBytes };
}
