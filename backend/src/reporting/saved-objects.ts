import type { FigureView, GroupField, Question } from '../domain/analytics/figure-views.js';
import { QUESTIONS, viewsFor, VIEWS } from './views.js';

/**
 * The dashboards as saved objects in the 7.10 format, the common ground of OpenSearch Dashboards
 * 2.x (which forked from Kibana 7.10.2 and accepts nothing newer: index-pattern 7.6.0, visualization
 * 7.10.0, dashboard 7.9.3) and Kibana 8 (which migrates 7.x objects on import). Visualisations are
 * the aggregation-based kinds both products render: line, vertical bar (histogram) and data table.
 * Every figure is the max over its bucket, so a withheld cell shows no number (see figure-views.ts).
 */
export interface SavedObject {
  type: 'index-pattern' | 'visualization' | 'dashboard';
  id: string;
  attributes: Record<string, unknown>;
  references: { name: string; type: string; id: string }[];
  migrationVersion: Record<string, string>;
}

export const MIGRATION_VERSIONS = { 'index-pattern': '7.6.0', visualization: '7.10.0', dashboard: '7.9.3' } as const;
export const INDEX_PATTERN_ID = 'proxitrace-analytics-figures';
const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';

export function visualizationId(view: FigureView): string {
  return `proxitrace-${view.id}`;
}

export function dashboardId(question: Question): string {
  return `proxitrace-dashboard-${question}`;
}

/** The whole bundle: the index pattern over the figures indices, one visualisation per view, one dashboard per question. */
export function savedObjects(indexPrefix: string): SavedObject[] {
  return [indexPattern(indexPrefix), ...VIEWS.map(visualization), ...QUESTIONS.map((q) => dashboard(q.id, q.title, q.lead))];
}

export function toNdjson(objects: readonly SavedObject[]): string {
  return `${objects.map((o) => JSON.stringify(o)).join('\n')}\n`;
}

function indexPattern(prefix: string): SavedObject {
  return {
    type: 'index-pattern',
    id: INDEX_PATTERN_ID,
    // "[]": both products rebuild the field list from the cluster's mapping.
    attributes: { title: `${prefix}analytics-figures-*`, timeFieldName: 'weekStart', fields: '[]' },
    references: [],
    migrationVersion: { 'index-pattern': MIGRATION_VERSIONS['index-pattern'] },
  };
}

/** The KQL that picks a view's documents. */
export function viewQuery(view: FigureView): string {
  const parts = [`kind:"${view.kind}"`, view.regions === 'all' ? 'region:"all"' : 'not region:"all"'];
  if (view.degree !== undefined) parts.push(`degree:${view.degree}`);
  return parts.join(' and ');
}

function visualization(view: FigureView): SavedObject {
  const visState = { title: view.title, type: VIS_TYPE[view.chart], params: visParams(view), aggs: aggs(view) };
  return {
    type: 'visualization',
    id: visualizationId(view),
    attributes: {
      title: view.title,
      visState: JSON.stringify(visState),
      uiStateJSON: '{}',
      description: view.description,
      version: 1,
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: viewQuery(view), language: 'kuery' }, filter: [], indexRefName: INDEX_REF }) },
    },
    references: [{ name: INDEX_REF, type: 'index-pattern', id: INDEX_PATTERN_ID }],
    migrationVersion: { visualization: MIGRATION_VERSIONS.visualization },
  };
}

const VIS_TYPE = { line: 'line', bar: 'histogram', table: 'table' } as const;

/** Metrics first ("1"…), then the buckets in the view's order, as the editors save them. */
function aggs(view: FigureView): object[] {
  const metrics = view.metrics.map((m, i) => ({ id: String(i + 1), enabled: true, type: 'max', schema: 'metric', params: { field: m.field, customLabel: m.label } }));
  const buckets = view.groupBy.map((field, i) => ({ id: String(view.metrics.length + i + 1), enabled: true, type: field === 'weekStart' ? 'date_histogram' : 'terms', schema: schemaOf(view, i), params: bucketParams(field) }));
  return [...metrics, ...buckets];
}

function schemaOf(view: FigureView, position: number): string {
  if (view.chart === 'table') return 'bucket';
  return position === 0 ? 'segment' : 'group';
}

function bucketParams(field: GroupField): object {
  if (field === 'weekStart') {
    // No time_zone: the 7.0.1 migration removed it; weeks follow the dateFormat:tz advanced setting (UTC: docs/ANALYTICS.md).
    return { field, interval: 'w', min_doc_count: 1, extended_bounds: {} };
  }
  return { field, orderBy: '_key', order: 'asc', size: field === 'region' ? 1000 : 20, otherBucket: false, otherBucketLabel: 'Other', missingBucket: false, missingBucketLabel: 'Missing' };
}

function visParams(view: FigureView): object {
  if (view.chart === 'table') return { perPage: 20, showPartialRows: false, showMetricsAtAllLevels: false, showTotal: false, totalFunc: 'sum', percentageCol: '' };
  const type = VIS_TYPE[view.chart];
  return {
    type,
    grid: { categoryLines: false },
    categoryAxes: [{ id: 'CategoryAxis-1', type: 'category', position: 'bottom', show: true, style: {}, scale: { type: 'linear' }, labels: { show: true, filter: true, truncate: 100 }, title: {} }],
    valueAxes: [
      {
        id: 'ValueAxis-1',
        name: 'LeftAxis-1',
        type: 'value',
        position: 'left',
        show: true,
        style: {},
        scale: { type: 'linear', mode: 'normal' },
        labels: { show: true, rotate: 0, filter: false, truncate: 100 },
        title: { text: view.metrics[0]!.label },
      },
    ],
    seriesParams: view.metrics.map((m, i) => ({
      show: true,
      type: type === 'histogram' ? 'histogram' : 'line',
      mode: type === 'histogram' ? 'stacked' : 'normal',
      data: { label: m.label, id: String(i + 1) },
      valueAxis: 'ValueAxis-1',
      drawLinesBetweenPoints: true,
      lineWidth: i === 0 ? 3 : 1,
      interpolate: 'linear',
      showCircles: true,
    })),
    addTooltip: true,
    addLegend: true,
    legendPosition: 'right',
    times: [],
    addTimeMarker: false,
    labels: {},
    thresholdLine: { show: false, value: 10, width: 1, style: 'full', color: '#E7664C' },
  };
}

function dashboard(question: Question, title: string, description: string): SavedObject {
  const views = question === 'overview' ? [...viewsFor('overview'), ...['reproduction-renewal', 'isolation-compliance', 'where-cases', 'immunity-reinfections'].map((id) => VIEWS.find((v) => v.id === id)!)] : viewsFor(question);
  let y = 0;
  const panels = views.map((view, i) => {
    // Tables across the whole grid (48 columns), charts two a row.
    const wide = view.chart === 'table';
    const w = wide ? 48 : 24;
    const x = wide ? 0 : (panelsBefore(views, i) % 2) * 24;
    const gridData = { x, y, w, h: 15, i: String(i + 1) };
    if (wide || x === 24 || !views[i + 1] || views[i + 1]!.chart === 'table') y += 15;
    return { version: '7.10.0', gridData, panelIndex: String(i + 1), embeddableConfig: {}, panelRefName: `panel_${i}` };
  });
  return {
    type: 'dashboard',
    id: dashboardId(question),
    attributes: {
      title: `Proxitrace: ${title}`,
      hits: 0,
      description,
      panelsJSON: JSON.stringify(panels),
      optionsJSON: JSON.stringify({ hidePanelTitles: false, useMargins: true }),
      version: 1,
      timeRestore: true,
      timeFrom: 'now-1y',
      timeTo: 'now',
      refreshInterval: { pause: true, value: 0 },
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }) },
    },
    references: views.map((view, i) => ({ name: `panel_${i}`, type: 'visualization', id: visualizationId(view) })),
    migrationVersion: { dashboard: MIGRATION_VERSIONS.dashboard },
  };
}

/** Charts since the last table: where the next chart goes in its row. */
function panelsBefore(views: readonly FigureView[], index: number): number {
  let n = 0;
  for (let i = index - 1; i >= 0 && views[i]!.chart !== 'table'; i--) n++;
  return n;
}
