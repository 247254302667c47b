import { isoDate } from '../../domain/analytics/calendar.js';
import type { AnalyticsIndex, AnalyticsRetention } from '../../ports/analytics-store.js';

/** A week whose figures a recomputation leaves as published: some of the records they come from are past retention. */
export interface KeptWeek {
  week: number;
  /** The record indices whose retention has begun deleting what the week's figures count. */
  expired: AnalyticsIndex[];
}

export interface WeekSplit {
  /** Weeks every input record of which is still held: these are recomputed. */
  complete: number[];
  kept: KeptWeek[];
}

/**
 * Splits the weeks to recompute into those whose inputs are whole and those whose inputs the
 * retention purge may already have thinned. A week reads the warnings, encounters and activity of
 * its own days, and the cases from a serial interval's tail before it (renewal R, chains); a record
 * older than `now − retention` of its index may be gone (the purge, ISM or ILM deletes it from then
 * on). Recomputing such a week would replace figures counted from complete records with smaller
 * ones, so it is left as it was published.
 */
export function splitByRetention(weeks: readonly number[], now: number, retention: AnalyticsRetention, caseLookBackMs: number): WeekSplit {
  const split: WeekSplit = { complete: [], kept: [] };
  for (const week of weeks) {
    const earliest: Record<Exclude<AnalyticsIndex, 'figures'>, number> = { notifications: week, encounters: week, activity: week, cases: week - caseLookBackMs };
    const expired = (Object.keys(earliest) as (keyof typeof earliest)[]).filter((index) => earliest[index] < now - retention[index]);
    if (expired.length === 0) split.complete.push(week);
    else split.kept.push({ week, expired });
  }
  return split;
}

const RECORDS: Record<AnalyticsIndex, string> = { cases: 'case', notifications: 'warning', encounters: 'encounter', activity: 'activity', figures: 'figure' };

/** "2 weeks (2026-10-05 to 2026-10-12) left as published: their encounter records are past retention…". */
export function describeKeptWeeks(kept: readonly KeptWeek[]): string | undefined {
  if (kept.length === 0) return undefined;
  const indices = [...new Set(kept.flatMap((k) => k.expired))].map((index) => RECORDS[index]).join(' and ');
  const first = isoDate(kept[0]!.week);
  const last = isoDate(kept[kept.length - 1]!.week);
  const span = kept.length === 1 ? first : `${first} to ${last}`;
  return `${kept.length} week${kept.length === 1 ? '' : 's'} (${span}) left as published: their ${indices} records are past retention, recomputing would undercount`;
}
