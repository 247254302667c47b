import type { FigureView, GroupField, ViewRow } from '../../domain/analytics/figure-views.js';
import { ALL_REGIONS } from '../../domain/analytics/regions.js';
import type { AnalyticsIndex } from '../../ports/analytics-store.js';
import type { ContactIndexSettings } from './contact-indices.js';
import { analyticsIndexFor, indexPeriodMs, type AnalyticsIndexNames } from './analytics-indices.js';
import { ANALYTICS_MAPPINGS, TIME_FIELD } from './analytics-mappings.js';
import type { Query, SortValues } from './contact-search-requests.js';

/**
 * Every template, lifecycle policy, bulk body and query the analytics store sends, built once for
 * both search clients. Retention is the engine's own where it has one: an ISM policy on OpenSearch
 * (attached to new indices by its ism_template), an ILM policy on Elasticsearch (named in the
 * template, the index's age parsed from its name); the backend's purge applies the same rule to
 * the records inside indices that are still live.
 */
export interface LifecyclePolicies {
  /** Body of PUT _plugins/_ism/policies/<id>. */
  ism: object;
  /** Body of PUT _ilm/policy/<id>. */
  ilm: object;
}

/** Days after its period's start that an index is deleted: its last record has then passed retention. */
export function deleteAfterDays(index: AnalyticsIndex, retentionMs: number): number {
  return Math.ceil((retentionMs + indexPeriodMs(index)) / 86_400_000);
}

export function lifecyclePolicies(names: AnalyticsIndexNames, index: AnalyticsIndex, retentionMs: number): LifecyclePolicies {
  const days = `${deleteAfterDays(index, retentionMs)}d`;
  const description = `Proxitrace analytics ${index}: deleted once every record in the index is past its retention (README, "Retention")`;
  return {
    ism: {
      policy: {
        description,
        default_state: 'live',
        states: [
          { name: 'live', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: days } }] },
          { name: 'delete', actions: [{ delete: {} }], transitions: [] },
        ],
        ism_template: [{ index_patterns: [names.pattern(index)], priority: 100 }],
      },
    },
    ilm: { policy: { _meta: { description }, phases: { hot: { min_age: '0ms', actions: {} }, delete: { min_age: days, actions: { delete: {} } } } } },
  };
}

export function analyticsTemplateBody(names: AnalyticsIndexNames, index: AnalyticsIndex, settings: ContactIndexSettings, lifecycleSettings: Record<string, unknown>) {
  return {
    index_patterns: [names.pattern(index)],
    template: {
      settings: { number_of_shards: settings.shards, number_of_replicas: settings.replicas, refresh_interval: settings.refreshInterval, ...lifecycleSettings },
      mappings: ANALYTICS_MAPPINGS[index],
    },
  };
}

/** Bulk `index` operations: each record into its week's index under its own id (a re-run overwrites it). */
export function indexOperations(names: AnalyticsIndexNames, index: AnalyticsIndex, records: readonly { id: string }[], weekOf: (r: never) => number): object[] {
  return records.flatMap((record) => [{ index: { _index: analyticsIndexFor(names, index, weekOf(record as never)), _id: record.id } }, record]);
}

export function timeRangeQuery(index: AnalyticsIndex, from: number, until: number): Query {
  return { range: { [TIME_FIELD[index]]: { gte: from, lt: until } } };
}

export function olderThan(index: AnalyticsIndex, before: number): Query {
  return { range: { [TIME_FIELD[index]]: { lt: before } } };
}

export function mentioningQuery(fields: readonly string[], pseudonyms: readonly string[]): Query {
  return { bool: { should: fields.map((f) => ({ terms: { [f]: [...pseudonyms] } })), minimum_should_match: 1 } };
}

/** Figures of these weeks that are not among `keep`: what a recomputation leaves stale. */
export function staleFiguresQuery(weeks: readonly number[], keep: readonly string[]): Query {
  return { bool: { filter: [{ terms: { weekStart: [...weeks] } }], must_not: [{ ids: { values: [...keep] } }] } };
}

const BUCKET_SIZE: Record<Exclude<GroupField, 'weekStart'>, number> = { region: 1000, degree: 20 };

/**
 * A view as one aggregation: weekly date histograms and terms nested in the view's order, each
 * figure a max in the innermost bucket. The saved-objects bundle's visualisations ask the same.
 */
export function viewSearchBody(view: FigureView, from: number, until: number) {
  const metrics = Object.fromEntries(view.metrics.map((m, i) => [`m${i}`, { max: { field: m.field } }]));
  let aggs: Record<string, unknown> = metrics;
  for (const field of [...view.groupBy].reverse()) {
    const bucket =
      field === 'weekStart'
        ? { date_histogram: { field, calendar_interval: '1w', time_zone: 'UTC', min_doc_count: 1 } }
        : { terms: { field, size: BUCKET_SIZE[field], order: { _key: 'asc' } } };
    aggs = { [field]: { ...bucket, aggs } };
  }
  const region = { term: { region: ALL_REGIONS } };
  return {
    size: 0,
    query: {
      bool: {
        filter: [
          { term: { kind: view.kind } },
          { range: { weekStart: { gte: from, lt: until } } },
          ...(view.regions === 'all' ? [region] : []),
          ...(view.degree === undefined ? [] : [{ term: { degree: view.degree } }]),
        ],
        ...(view.regions === 'each' ? { must_not: [region] } : {}),
      },
    },
    aggs,
  };
}

interface Bucket {
  key: number | string;
  [name: string]: unknown;
}

/** The rows of a view's aggregation answer, outermost bucket first. */
export function viewRowsFrom(view: FigureView, aggregations: Record<string, unknown> | undefined): ViewRow[] {
  const rows: ViewRow[] = [];
  const walk = (level: Record<string, unknown>, depth: number, keys: Partial<Record<GroupField, number | string>>) => {
    const field = view.groupBy[depth];
    if (field === undefined) {
      rows.push({ ...keys, values: Object.fromEntries(view.metrics.map((m, i) => [m.field, (level[`m${i}`] as { value: number | null }).value])) } as ViewRow);
      return;
    }
    for (const bucket of (level[field] as { buckets: Bucket[] }).buckets) walk(bucket, depth + 1, { ...keys, [field]: bucket.key });
  };
  if (aggregations) walk(aggregations, 0, {});
  return rows;
}

export function searchAfterPage(query: Query, size: number, searchAfter?: SortValues) {
  return { query, size, sort: [{ id: 'asc' as const }], ...(searchAfter ? { search_after: searchAfter } : {}) };
}
