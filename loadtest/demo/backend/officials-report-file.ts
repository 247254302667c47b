import { writeFileSync } from 'node:fs';
import { runAnalytics } from '../../../backend/src/application/analytics/run-analytics.js';
import type { BackendServices } from '../../../backend/src/composition/backend-services.js';
import { analyticsJobDeps } from '../../../backend/src/handlers/analytics-handlers.js';
import { officialsReport } from '../../../backend/src/reporting/officials-report.js';

export interface OfficialsReportWritten {
  file: string;
  /** What the analytics job derived from the town's days. */
  cases: number;
  warnings: number;
  encounters: number;
  weeks: number;
  rows: number;
}

/**
 * What an official reads after the simulated days: the analytics job run over them (as its
 * schedule or `npm run analytics` would), then the officials' report (`npm run report`) from the
 * analytics store, written to `file`.
 */
export async function writeOfficialsReport(services: BackendServices, file: string, since: Date): Promise<OfficialsReportWritten> {
  const run = await runAnalytics(analyticsJobDeps(services), since);
  const report = await officialsReport(services, since);
  writeFileSync(file, report.html);
  return { file, cases: run.derived.cases, warnings: run.derived.notifications, encounters: run.derived.encounters, weeks: report.weeks, rows: report.rows };
}
