import { isoWeekStart, MS_PER_WEEK, weeksOverlapping } from '../domain/analytics/calendar.js';
import type { FigureView, ViewRow } from '../domain/analytics/figure-views.js';
import type { FigureDocument } from '../domain/analytics/figures.js';
import type { AnalyticsStore } from '../ports/analytics-store.js';
import { VIEWS } from './views.js';

/** Everything the report shows, read through the same view queries as the dashboards. */
export interface ReportData {
  generatedAt: number;
  weeks: number[];
  rows: Map<string, ViewRow[]>;
  /** `${kind}|${weekStart}|${region}|${degree ?? ''}|${field}` of every withheld figure. */
  withheld: Set<string>;
  /** Region id → a point naming it (its centre), for labels. */
  centres: Map<string, { lat: number; lon: number }>;
  provisionalWeeks: Set<number>;
  settings: { regions: string; minCellSize: number; serialInterval: string; hopProbability: number; backend: string };
}

export function withheldKey(kind: string, weekStart: number, region: string, degree: number | undefined, field: string): string {
  return `${kind}|${weekStart}|${region}|${degree ?? ''}|${field}`;
}

export async function collectReportData(store: AnalyticsStore, since: number, now: number, settings: ReportData['settings']): Promise<ReportData> {
  const weeks = weeksOverlapping(since, now + 1);
  const from = isoWeekStart(since);
  const until = weeks[weeks.length - 1]! + MS_PER_WEEK;
  const rows = new Map<string, ViewRow[]>();
  for (const view of VIEWS) rows.set(view.id, await store.viewRows(view, from, until));
  const documents = await store.figures(from, until);
  return { generatedAt: now, weeks, rows, withheld: withheldOf(documents), centres: centresOf(documents), provisionalWeeks: provisionalOf(documents), settings };
}

function withheldOf(documents: readonly FigureDocument[]): Set<string> {
  const keys = new Set<string>();
  for (const d of documents) for (const field of d.suppressed) keys.add(withheldKey(d.kind, d.weekStart, d.region, d.kind === 'degree-week' ? d.degree : undefined, field));
  return keys;
}

function centresOf(documents: readonly FigureDocument[]): Map<string, { lat: number; lon: number }> {
  const centres = new Map<string, { lat: number; lon: number }>();
  for (const d of documents) if (d.kind === 'region-week' && d.regionCentre) centres.set(d.region, d.regionCentre);
  return centres;
}

function provisionalOf(documents: readonly FigureDocument[]): Set<number> {
  return new Set(documents.filter((d) => d.region === 'all' && d.provisional).map((d) => d.weekStart));
}

/** Whether a view's figure is withheld in a row's cell. */
export function isWithheld(data: ReportData, view: FigureView, row: ViewRow, field: string): boolean {
  const region = view.regions === 'all' ? 'all' : (row.region ?? '');
  const degree = view.kind === 'degree-week' ? (row.degree ?? view.degree) : undefined;
  return data.withheld.has(withheldKey(view.kind, row.weekStart ?? -1, region, degree, field));
}
