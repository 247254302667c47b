import { ANALYTICS_FAMILIES } from '../../domain/analytics/pseudonym.js';
import type { AnalyticsIndex } from '../../ports/analytics-store.js';

/**
 * The analytics indices: per index kind, one index per ISO week named by its Monday
 * (`<prefix>analytics-cases-2026.11.23`); figures, which are few, one per year (`…-figures-2026.01.01`).
 * A record's index follows from its own week, so an upsert lands on the same document every run,
 * and a week's pseudonym key and its index live and die together. The trailing date is what
 * Elasticsearch's ILM parses as the index's origination date.
 */
export interface AnalyticsIndexNames {
  prefix: string;
  pattern(index: AnalyticsIndex): string;
  template(index: AnalyticsIndex): string;
  policy(index: AnalyticsIndex): string;
}

export const ANALYTICS_INDICES: readonly AnalyticsIndex[] = [...ANALYTICS_FAMILIES, 'figures'];

export function analyticsIndexNames(prefix: string): AnalyticsIndexNames {
  return {
    prefix,
    pattern: (index) => `${prefix}analytics-${index}-*`,
    template: (index) => `${prefix}analytics-${index}`,
    policy: (index) => `${prefix}analytics-${index}-retention`,
  };
}

/** How long one index covers. */
export function indexPeriodMs(index: AnalyticsIndex): number {
  return index === 'figures' ? 366 * 86_400_000 : 7 * 86_400_000;
}

/** The index of a record of `index` whose week starts at `week`. */
export function analyticsIndexFor(names: AnalyticsIndexNames, index: AnalyticsIndex, week: number): string {
  const date = new Date(week);
  const start = index === 'figures' ? Date.UTC(date.getUTCFullYear(), 0, 1) : week;
  return `${names.prefix}analytics-${index}-${new Date(start).toISOString().slice(0, 10).replaceAll('-', '.')}`;
}

/** The start of the period an index covers, from its name. */
export function periodStartOf(indexName: string): number | undefined {
  const match = /-(\d{4})\.(\d{2})\.(\d{2})$/.exec(indexName);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
}
