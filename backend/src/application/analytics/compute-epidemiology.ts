import { MS_PER_WEEK, weeksOverlapping } from '../../domain/analytics/calendar.js';
import { computeFigures } from '../../domain/analytics/epidemiology/compute-figures.js';
import { discretisedSerialInterval } from '../../domain/analytics/epidemiology/serial-interval.js';
import { ContactTally, NotificationTally } from '../../domain/analytics/epidemiology/tallies.js';
import { maxNotifiedDegree } from '../../domain/exposure/exposure-policy.js';
import { MS_PER_DAY } from '../../domain/time.js';
import type { AnalyticsJobDeps } from './analytics-job.js';
import { splitByRetention, type KeptWeek } from './week-inputs.js';

export interface Computed {
  /** The weeks recomputed. */
  weeks: number[];
  figures: number;
  /** Weeks the run would have touched but left as published, their inputs being past retention. */
  kept: KeptWeek[];
}

/**
 * Recomputes the figures of every week whose cohorts the records of [since, now) can change (a
 * warning's follow-up, an index case's serial interval), from the analytics records alone, and
 * replaces those weeks' figure documents. Weeks some of whose records are already past their
 * retention are left as published (see week-inputs.ts). Warnings, encounters and activity are
 * folded page by page; cases are read whole, for the chains between them.
 */
export async function computeEpidemiology(deps: Pick<AnalyticsJobDeps, 'analytics' | 'config' | 'exposure' | 'clock'>, since: Date): Promise<Computed> {
  const now = deps.clock().getTime();
  const policy = deps.config.epidemiology;
  const tailMs = (discretisedSerialInterval(policy.serialInterval).length - 1) * MS_PER_DAY;
  const followUpMs = Math.max(policy.incubationMs, policy.isolationMs, tailMs) + policy.lateDataMs;
  const { complete: weeks, kept } = splitByRetention(weeksOverlapping(since.getTime() - followUpMs, now + 1), now, deps.config.retention, tailMs);
  if (weeks.length === 0) return { weeks, figures: 0, kept };
  const from = weeks[0]!;
  const until = weeks[weeks.length - 1]! + MS_PER_WEEK;
  const notifications = new NotificationTally(policy);
  for await (const page of deps.analytics.notificationPages(from, until)) notifications.add(page);
  const contacts = new ContactTally();
  for await (const page of deps.analytics.activityPages(from, until)) contacts.addActivity(page);
  for await (const page of deps.analytics.encounterPages(from, until)) contacts.addEncounters(page);
  const cases = await deps.analytics.casesBetween(from - tailMs, now + 1);
  const documents = computeFigures({
    weeks,
    cases,
    notifications,
    contacts,
    regions: deps.config.regions,
    policy,
    maxDegree: maxNotifiedDegree(deps.exposure),
    now,
  });
  await deps.analytics.replaceFigures(weeks, documents);
  return { weeks, figures: documents.length, kept };
}
