import type { AnalyticsJobDeps } from './analytics-job.js';
import { computeEpidemiology, type Computed } from './compute-epidemiology.js';
import { deriveRecords, type Derived } from './derive-records.js';

export interface AnalyticsRun {
  since: Date;
  derived: Derived;
  computed: Computed;
  ms: number;
}

/**
 * The analytics job: derive the records of [since, now) from the operational stores, then
 * recompute the figures those records touch. Scheduled (EventBridge in AWS, a timer on the local
 * stack, every ANALYTICS_INTERVAL_MINUTES over ANALYTICS_WINDOW_DAYS) or by hand
 * (`npm run analytics -- --since 7d`).
 */
export async function runAnalytics(deps: AnalyticsJobDeps, since: Date): Promise<AnalyticsRun> {
  const started = Date.now();
  const derived = await deriveRecords(deps, since);
  const computed = await computeEpidemiology(deps, since);
  deps.progress?.({ step: 'figures', done: 1, total: 1 });
  return { since, derived, computed, ms: Date.now() - started };
}
