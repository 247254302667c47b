import type { AnalyticsConfig } from '../../config/analytics-config.js';
import { ConfigError } from '../../config/env-schema.js';
import { discretisedSerialInterval } from '../../domain/analytics/epidemiology/serial-interval.js';
import { MS_PER_DAY } from '../../domain/time.js';

/**
 * A week's figures are recomputed until its cohorts are followed up; after that its records may
 * expire (a recomputation then leaves the week as published), before that they must not. The
 * serial interval's tail needs the gamma distribution, so this check lives with the job, not in
 * the configuration every Lambda bundle carries.
 */
export function followUpRetentionProblems(config: AnalyticsConfig): string[] {
  const { epidemiology: policy, retention } = config;
  const days = (ms: number) => Math.round(ms / MS_PER_DAY);
  const tailDays = discretisedSerialInterval(policy.serialInterval).length - 1;
  const final = 7 + Math.max(days(policy.incubationMs), days(policy.isolationMs), tailDays) + days(policy.lateDataMs);
  const needed: [string, number, number, string][] = [
    ['ANALYTICS_NOTIFICATION_RETENTION_DAYS', days(retention.notifications), final, "a week's warnings are followed up that long"],
    ['ANALYTICS_ENCOUNTER_RETENTION_DAYS', days(retention.encounters), final, "a week's figures are recomputed from its encounters until its cohorts are followed up"],
    ['ANALYTICS_ACTIVITY_RETENTION_DAYS', days(retention.activity), final, "a week's figures are recomputed from its activity until its cohorts are followed up"],
    ['ANALYTICS_CASE_RETENTION_DAYS', days(retention.cases), final + tailDays, "a week's R reads the cases of a serial interval before it until the week is followed up"],
  ];
  return needed.filter(([, held, least]) => held < least).map(([name, held, least, why]) => `  ${name} (${held}): must be at least ${least} days: ${why}`);
}

/** Refuses to compose the job on retentions that would let a week's records expire before it is final. */
export function assertFollowUpRetention(config: AnalyticsConfig): void {
  const problems = followUpRetentionProblems(config);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}
