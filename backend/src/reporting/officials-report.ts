import type { BackendServices } from '../composition/backend-services.js';
import { collectReportData } from './report-data.js';
import { renderReport } from './report-html.js';

export interface OfficialsReport {
  html: string;
  weeks: number;
  rows: number;
  charts: number;
}

/** The officials' report page from what the analytics store holds for the weeks from `since` to now. */
export async function officialsReport(services: BackendServices, since: Date): Promise<OfficialsReport> {
  const now = services.clock();
  const analytics = services.config.analytics;
  const epidemiology = analytics.epidemiology;
  const data = await collectReportData(services.analytics, since.getTime(), now.getTime(), {
    regions: analytics.regionsDescription,
    minCellSize: epidemiology.minCellSize,
    serialInterval: `mean ${epidemiology.serialInterval.meanDays} days, SD ${epidemiology.serialInterval.sdDays} days`,
    hopProbability: epidemiology.hopProbability,
    backend: services.config.backend === 'aws' ? `search engine ${services.config.aws?.search.node ?? ''}` : 'embedded store',
  });
  const rows = [...data.rows.values()].reduce((n, r) => n + r.length, 0);
  return { html: renderReport(data), weeks: data.weeks.length, rows, charts: data.rows.size };
}
