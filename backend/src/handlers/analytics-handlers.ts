import type { AnalyticsJobDeps, AnalyticsProgress } from '../application/analytics/analytics-job.js';
import { assertFollowUpRetention } from '../application/analytics/follow-up-retention.js';
import { runAnalytics, type AnalyticsRun } from '../application/analytics/run-analytics.js';
import { describeKeptWeeks } from '../application/analytics/week-inputs.js';
import type { ServicesOf } from '../composition/backend-services.js';

/** The analytics job's dependencies from a process's services; refuses retentions too short for a week's follow-up. */
export function analyticsJobDeps(s: ServicesOf<'contacts' | 'ledger' | 'reports' | 'devices' | 'analytics' | 'pseudonymKeys'>, progress?: (event: AnalyticsProgress) => void): AnalyticsJobDeps {
  assertFollowUpRetention(s.config.analytics);
  return {
    contacts: s.contacts,
    ledger: s.ledger,
    reports: s.reports,
    devices: s.devices,
    analytics: s.analytics,
    keys: s.pseudonymKeys,
    config: s.config.analytics,
    exposure: s.config.exposurePolicy,
    clock: s.clock,
    progress,
  };
}

export interface ScheduledAnalyticsEvent {
  /** ISO time to derive from; default: ANALYTICS_WINDOW_DAYS before now. */
  since?: string;
}

/**
 * Scheduled: the analytics job over the last ANALYTICS_WINDOW_DAYS (EventBridge in AWS, every
 * ANALYTICS_INTERVAL_MINUTES on the local stack). An EventBridge event without `since` gets the default.
 */
export function makeRunAnalytics(s: ServicesOf<'contacts' | 'ledger' | 'reports' | 'devices' | 'analytics' | 'pseudonymKeys'>): (event?: ScheduledAnalyticsEvent) => Promise<AnalyticsRun> {
  const deps = analyticsJobDeps(s);
  return async (event) => {
    const since = event?.since ? new Date(event.since) : new Date(s.clock().getTime() - s.config.analytics.windowMs);
    if (Number.isNaN(since.getTime())) throw new Error(`since must be an ISO time, not ${JSON.stringify(event?.since)}`);
    const run = await runAnalytics(deps, since);
    const kept = describeKeptWeeks(run.computed.kept);
    s.logger.info('analytics run', { since: since.toISOString(), ...run.derived, weeks: run.computed.weeks.length, figures: run.computed.figures, ...(kept ? { kept } : {}), ms: run.ms });
    return run;
  };
}
