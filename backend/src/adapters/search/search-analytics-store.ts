import type { FigureDocument } from '../../domain/analytics/figures.js';
import type { FigureView, ViewRow } from '../../domain/analytics/figure-views.js';
import { ANALYTICS_FAMILIES, type AnalyticsFamily } from '../../domain/analytics/pseudonym.js';
import type { ActivityRecord, CaseRecord, EncounterRecord, NotificationRecord } from '../../domain/analytics/records.js';
import type { AnalyticsIndex, AnalyticsRetention, AnalyticsStore } from '../../ports/analytics-store.js';
import { ANALYTICS_INDICES, indexPeriodMs, periodStartOf, type AnalyticsIndexNames } from './analytics-indices.js';
import { DEVICE_FIELDS } from './analytics-mappings.js';
import {
  analyticsTemplateBody,
  indexOperations,
  lifecyclePolicies,
  mentioningQuery,
  olderThan,
  searchAfterPage,
  staleFiguresQuery,
  timeRangeQuery,
  viewRowsFrom,
  viewSearchBody,
} from './analytics-search-requests.js';
import type { ContactIndexSettings } from './contact-indices.js';
import { bulkItemError, INDEX_AGES_BODY, indexAgesFrom, type Query, type SortValues } from './contact-search-requests.js';
import type { SearchEngine } from './search-engine.js';

const PAGE_SIZE = 1000;
/** Index sizes chunked so that one bulk request stays well under the engines' limits. */
const BULK_CHUNK = 2000;

/**
 * Installs the analytics retention policies (ISM or ILM) and index templates (idempotent; run on
 * start). Returns whether the engine enforces retention itself; where it cannot (a bare node
 * without the plugin), the backend's purge is the only enforcement, as on the embedded store.
 */
export async function installAnalyticsIndices(engine: SearchEngine, names: AnalyticsIndexNames, settings: ContactIndexSettings, retention: AnalyticsRetention): Promise<'engine' | 'purge only'> {
  let enforced = true;
  for (const index of ANALYTICS_INDICES) {
    const policy = await engine.putLifecyclePolicy(names.policy(index), lifecyclePolicies(names, index, retention[index]));
    if (policy === 'unavailable') enforced = false;
    const lifecycle = policy === 'installed' ? engine.lifecycleSettings(names.policy(index)) : {};
    await engine.putIndexTemplate(names.template(index), analyticsTemplateBody(names, index, settings, lifecycle));
  }
  return enforced ? 'engine' : 'purge only';
}

/**
 * The analytics store on OpenSearch or Elasticsearch: weekly indices per record kind with strict
 * mappings, upserted by record id. Writes do not wait for a refresh; every read refreshes first.
 */
export class SearchAnalyticsStore implements AnalyticsStore {
  constructor(
    private readonly engine: SearchEngine,
    private readonly names: AnalyticsIndexNames,
  ) {}

  putCases(records: readonly CaseRecord[]): Promise<void> {
    return this.index('cases', records, (r: CaseRecord) => r.week);
  }

  putNotifications(records: readonly NotificationRecord[]): Promise<void> {
    return this.index('notifications', records, (r: NotificationRecord) => r.week);
  }

  putEncounters(records: readonly EncounterRecord[]): Promise<void> {
    return this.index('encounters', records, (r: EncounterRecord) => r.week);
  }

  putActivity(records: readonly ActivityRecord[]): Promise<void> {
    return this.index('activity', records, (r: ActivityRecord) => r.week);
  }

  async replaceFigures(weeks: readonly number[], documents: readonly FigureDocument[]): Promise<void> {
    await this.index('figures', documents, (d: FigureDocument) => d.weekStart);
    await this.engine.refresh(this.names.pattern('figures'));
    await this.engine.deleteByQuery(this.names.pattern('figures'), staleFiguresQuery(weeks, documents.map((d) => d.id)));
  }

  casesBetween(from: number, until: number): Promise<CaseRecord[]> {
    return this.all<CaseRecord>('cases', timeRangeQuery('cases', from, until));
  }

  casesOfDevices(pseudonyms: readonly string[]): Promise<CaseRecord[]> {
    if (pseudonyms.length === 0) return Promise.resolve([]);
    return this.all<CaseRecord>('cases', { terms: { device: [...pseudonyms] } });
  }

  notificationPages(from: number, until: number): AsyncIterable<NotificationRecord[]> {
    return this.pages<NotificationRecord>('notifications', timeRangeQuery('notifications', from, until));
  }

  encounterPages(from: number, until: number): AsyncIterable<EncounterRecord[]> {
    return this.pages<EncounterRecord>('encounters', timeRangeQuery('encounters', from, until));
  }

  activityPages(from: number, until: number): AsyncIterable<ActivityRecord[]> {
    return this.pages<ActivityRecord>('activity', timeRangeQuery('activity', from, until));
  }

  figures(from: number, until: number): Promise<FigureDocument[]> {
    return this.all<FigureDocument>('figures', timeRangeQuery('figures', from, until));
  }

  async viewRows(view: FigureView, from: number, until: number): Promise<ViewRow[]> {
    await this.engine.refresh(this.names.pattern('figures'));
    const { aggregations } = await this.engine.search(this.names.pattern('figures'), viewSearchBody(view, from, until));
    return viewRowsFrom(view, aggregations);
  }

  async deleteMentioning(pseudonyms: Readonly<Record<AnalyticsFamily, readonly string[]>>): Promise<number> {
    let deleted = 0;
    for (const family of ANALYTICS_FAMILIES) {
      if (pseudonyms[family].length === 0) continue;
      await this.engine.refresh(this.names.pattern(family));
      deleted += await this.engine.deleteByQuery(this.names.pattern(family), mentioningQuery(DEVICE_FIELDS[family], pseudonyms[family]));
    }
    return deleted;
  }

  /**
   * Drops every index whose period ended more than its retention ago (ISM or ILM would, a little
   * later), then deletes the records past retention in the indices still live.
   */
  async purge(now: number, retention: AnalyticsRetention): Promise<Record<AnalyticsIndex, number>> {
    const purged = {} as Record<AnalyticsIndex, number>;
    for (const index of ANALYTICS_INDICES) {
      const before = now - retention[index];
      const pattern = this.names.pattern(index);
      await this.engine.refresh(pattern);
      const { aggregations } = await this.engine.search(pattern, INDEX_AGES_BODY);
      const expired = indexAgesFrom(aggregations).filter((age) => (periodStartOf(age.index) ?? Infinity) + indexPeriodMs(index) <= before);
      if (expired.length > 0) await this.engine.deleteIndices(expired.map((age) => age.index));
      purged[index] = expired.reduce((n, age) => n + age.contacts, 0) + (await this.engine.deleteByQuery(pattern, olderThan(index, before)));
    }
    return purged;
  }

  async counts(): Promise<Record<AnalyticsIndex, number>> {
    await this.engine.refresh(`${this.names.prefix}analytics-*`);
    const counts = await Promise.all(ANALYTICS_INDICES.map(async (index) => [index, await this.engine.count(this.names.pattern(index))] as const));
    return Object.fromEntries(counts) as Record<AnalyticsIndex, number>;
  }

  private async index<T extends { id: string }>(index: AnalyticsIndex, records: readonly T[], weekOf: (r: T) => number): Promise<void> {
    for (let i = 0; i < records.length; i += BULK_CHUNK) {
      const { errors, items } = await this.engine.bulk(indexOperations(this.names, index, records.slice(i, i + BULK_CHUNK), weekOf as (r: never) => number));
      const failed = errors ? items.map((item) => bulkItemError(item)).filter((e) => e !== undefined) : [];
      if (failed.length > 0) throw new Error(`${failed.length} analytics ${index} records were not written (first: ${failed[0]!.type}: ${failed[0]!.reason})`);
    }
  }

  private async all<T>(index: AnalyticsIndex, query: Query): Promise<T[]> {
    const out: T[] = [];
    for await (const page of this.pages<T>(index, query)) out.push(...page);
    return out;
  }

  private async *pages<T>(index: AnalyticsIndex, query: Query): AsyncIterable<T[]> {
    const pattern = this.names.pattern(index);
    await this.engine.refresh(pattern);
    let after: SortValues | undefined;
    for (;;) {
      const { hits } = await this.engine.search(pattern, searchAfterPage(query, PAGE_SIZE, after));
      if (hits.length > 0) yield hits.map((h) => h.source as unknown as T);
      if (hits.length < PAGE_SIZE) return;
      after = hits[hits.length - 1]!.sort;
    }
  }
}
