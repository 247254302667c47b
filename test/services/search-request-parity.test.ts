import { createRequire } from 'node:module';
import { Client as ElasticClient } from '@elastic/elasticsearch';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { afterAll, describe, expect, it } from 'vitest';
import { analyticsIndexNames, ANALYTICS_INDICES, type AnalyticsIndexNames } from '../../backend/src/adapters/search/analytics-indices.js';
import { contactIndexNames, LOCAL_INDEX_SETTINGS, type ContactIndexNames } from '../../backend/src/adapters/search/contact-indices.js';
import { ElasticsearchEngine } from '../../backend/src/adapters/search/elasticsearch-engine.js';
import { OpenSearchEngine } from '../../backend/src/adapters/search/opensearch-engine.js';
import { deleteContactIndices } from '../../backend/src/adapters/search/opensearch-indices.js';
import { viewSearchBody } from '../../backend/src/adapters/search/analytics-search-requests.js';
import { installAnalyticsIndices, SearchAnalyticsStore } from '../../backend/src/adapters/search/search-analytics-store.js';
import { SearchContactStore } from '../../backend/src/adapters/search/search-contact-store.js';
import { installContactIndices } from '../../backend/src/adapters/search/search-setup.js';
import type { SearchEngine } from '../../backend/src/adapters/search/search-engine.js';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import type { ViewRow } from '../../backend/src/domain/analytics/figure-views.js';
import { figureId, type FigureDocument } from '../../backend/src/domain/analytics/figures.js';
import type { AnalyticsIndex, AnalyticsRetention } from '../../backend/src/ports/analytics-store.js';
import { VIEWS } from '../../backend/src/reporting/views.js';
import { aCaseRecord, aNotification, anActivity, anEncounter } from '../backend/contracts/analytics-store.contract.js';
import { aContact, DAY, minutesBefore, NOW } from '../support/builders.js';
import { localServices, uniquePrefix } from './support/aws-clients.js';

/**
 * No Elasticsearch 8+ can run here, so the Elasticsearch path is checked against the OpenSearch
 * path: the same store operations (the contact store's; the analytics store's with every
 * dashboard view's query) run once through the OpenSearch client against the real node and once
 * through the Elastic client against @elastic/elasticsearch-mock, and the two must send the same
 * requests — method, path, query string and body — in the same order. Index lifecycle is the one
 * place the engines differ (ISM and ILM): there the Elasticsearch path must install the ILM policy
 * that enforces each analytics index's retention.
 */
// The mock is CommonJS (its typings claim a default export it lacks), and it recognises errors by
// instanceof against the CommonJS build of the client it requires itself: load both that way.
const require = createRequire(import.meta.url);
const Mock = require('@elastic/elasticsearch-mock') as typeof import('@elastic/elasticsearch-mock').default;
const { errors } = require('@elastic/elasticsearch') as typeof import('@elastic/elasticsearch');

interface SentRequest {
  method: string;
  path: string;
  querystring: Record<string, string>;
  body: unknown;
}

/** Store operations covering every request the store makes. */
async function exercise(engine: SearchEngine, names: ContactIndexNames): Promise<void> {
  await installContactIndices(engine, names, LOCAL_INDEX_SETTINGS);
  const store = new SearchContactStore(engine, names, () => NOW);
  await Promise.all([
    store.applyBatch({ batchKey: 'r1:b1', reporter: 1, contacts: [aContact(1, 2, 30, 10, { rssiMax: -55 }), aContact(3, 1, 20, 5)], observationCount: 3 }),
    store.applyBatch({ batchKey: 'r2:b1', reporter: 1, contacts: [aContact(4, 1, 30, 10)], observationCount: 1 }),
    // Three days old: its daily index is dropped whole by the purge.
    store.applyBatch({ batchKey: 'r3:b1', reporter: 1, contacts: [aContact(5, 6, 3 * 24 * 60, 3 * 24 * 60 - 20)], observationCount: 1 }),
  ]);
  await store.contactsOf([1, 3], minutesBefore(60));
  await store.contactsBetween(2, 1);
  await store.stats();
  await store.deleteFor(3);
  await store.purgeOlderThan(minutesBefore(24 * 60));
}

/**
 * PUT and POST are the same request on the template, create and stored-script endpoints (both engines document
 * both), and the mock sees paths decoded: compare on that footing.
 */
function normalized(request: SentRequest): SentRequest {
  const path = decodeURIComponent(request.path);
  const interchangeable = /\/_index_template\/|\/_create\/|^\/_scripts\//.test(path) && (request.method === 'PUT' || request.method === 'POST');
  return { ...request, path, method: interchangeable ? 'PUT|POST' : request.method };
}

function parseBody(body: unknown): unknown {
  if (body === undefined || body === null || body === '') return null;
  if (typeof body !== 'string') return body;
  const lines = body.split('\n').filter(Boolean);
  return lines.length > 1 || body.endsWith('\n') ? lines.map((line) => JSON.parse(line)) : JSON.parse(body);
}

function stringValues(query: unknown): Record<string, string> {
  const entries = typeof query === 'string' ? [...new URLSearchParams(query)] : Object.entries((query ?? {}) as Record<string, unknown>);
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
}

type Answer = { statusCode: number; body: unknown };

/** Whether a request belongs to one engine's own lifecycle API (ISM or ILM), compared apart. */
const isLifecycle = (request: SentRequest) => /^\/(_plugins\/_ism|_ilm)\//.test(decodeURIComponent(request.path));

/**
 * Runs `exercise` through the OpenSearch client against the real node, recording every request and
 * its answer, then through the Elastic client against the mock, which answers each request with what
 * the node answered to the same turn. Lifecycle requests are set apart on both sides: ISM and ILM are
 * different APIs (the mock acknowledges ILM calls itself), and each side's list of them is returned.
 */
async function bothPaths<T>(opensearch: OpenSearchClient, exercise: (engine: SearchEngine) => Promise<T>) {
  const toOpenSearch: SentRequest[] = [];
  const requestIds: unknown[] = [];
  // Requests sent together can be answered in any order: each answer is kept by its request's id.
  const answers = new Map<unknown, Answer>();
  const onRequest = (_error: unknown, event: { meta: { request: { id: unknown; params: { method: string; path: string; querystring?: unknown; body?: unknown } } } }) => {
    const params = event.meta.request.params;
    requestIds.push(event.meta.request.id);
    toOpenSearch.push({ method: params.method, path: params.path, querystring: stringValues(params.querystring), body: parseBody(params.body) });
  };
  const onResponse = (error: unknown, event: unknown) => {
    const meta = (event ?? (error as { meta?: unknown } | null)?.meta) as { statusCode?: number; body?: unknown; meta?: { request?: { id?: unknown } } } | undefined;
    answers.set(meta?.meta?.request?.id, { statusCode: meta?.statusCode ?? 500, body: meta?.body });
  };
  opensearch.on('request', onRequest as never);
  opensearch.on('response', onResponse as never);
  let fromOpenSearchEngine: T;
  try {
    fromOpenSearchEngine = await exercise(new OpenSearchEngine(opensearch));
  } finally {
    opensearch.off('request', onRequest as never);
    opensearch.off('response', onResponse as never);
  }
  const replies = toOpenSearch.map((request, i) => ({ request, reply: answers.get(requestIds[i]) })).filter((r) => !isLifecycle(r.request)).map((r) => r.reply);

  const toElasticsearch: SentRequest[] = [];
  let answered = 0;
  const mock = new Mock();
  mock.add({ method: ['GET', 'POST', 'PUT', 'HEAD', 'DELETE'], path: '*' }, (pattern) => {
    // The mock hands over the request it received: one method and one path. It answers what the
    // real node answered to the same request, so both paths take the same turns.
    const params = pattern as { method: string; path: string; querystring?: unknown; body?: unknown };
    const request = { method: params.method, path: params.path, querystring: stringValues(params.querystring), body: parseBody(params.body) };
    toElasticsearch.push(request);
    if (isLifecycle(request)) return { acknowledged: true };
    const reply = replies[answered++];
    if (!reply) return new errors.ResponseError({ body: { error: 'more requests than the OpenSearch path sent' }, statusCode: 500, headers: {}, warnings: [], meta: {} as never });
    if (reply.statusCode >= 400) return new errors.ResponseError({ body: reply.body ?? {}, statusCode: reply.statusCode, headers: {}, warnings: [], meta: {} as never });
    return typeof reply.body === 'object' && reply.body !== null ? reply.body : {};
  });
  // Typed against the client's CommonJS build; the ESM client takes it all the same.
  const elastic = new ElasticClient({ node: 'http://localhost:9200', Connection: mock.getConnection() as never });
  const fromElasticsearchEngine = await exercise(new ElasticsearchEngine(elastic));
  return {
    toOpenSearch: toOpenSearch.filter((r) => !isLifecycle(r)),
    toElasticsearch: toElasticsearch.filter((r) => !isLifecycle(r)),
    lifecycle: { opensearch: toOpenSearch.filter(isLifecycle), elasticsearch: toElasticsearch.filter(isLifecycle) },
    answers: { opensearch: fromOpenSearchEngine, elasticsearch: fromElasticsearchEngine },
  };
}

describe('the Elasticsearch client path sends what the OpenSearch path sends', () => {
  const opensearch = new OpenSearchClient({ node: localServices().opensearch!.node });
  const names = contactIndexNames(uniquePrefix());
  const analytics = analyticsIndexNames(uniquePrefix());
  afterAll(async () => {
    await deleteContactIndices(opensearch, names);
    await opensearch.indices.delete({ index: `${analytics.prefix}analytics-*`, expand_wildcards: 'all' }, { ignore: [404] });
    await opensearch.close();
  });

  it('for templates, bulk bodies and queries', async () => {
    const { toOpenSearch, toElasticsearch } = await bothPaths(opensearch, (engine) => exercise(engine, names));
    expect(toOpenSearch.length).toBeGreaterThanOrEqual(10);
    expect(toElasticsearch.map(normalized)).toEqual(toOpenSearch.map(normalized));
    // The comparison covers the bodies: the template, the bulk merge operations and the queries.
    expect(toOpenSearch.filter((r) => r.path === '/_bulk').map((r) => (r.body as unknown[]).length)).toEqual([8, 6]);
    // The purge dropped the old contact's daily index whole.
    expect(toOpenSearch.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/${names.prefix}contacts-2026.11.20`]);
  });

  it("for the analytics store and every dashboard view's query, and installs an ILM policy per analytics index for its retention", async () => {
    const { toOpenSearch, toElasticsearch, lifecycle, answers } = await bothPaths(opensearch, (engine) => exerciseAnalytics(engine, analytics));
    // Templates: the same but for the Elasticsearch indices' ILM settings, checked below.
    const withoutIlm = (r: SentRequest) => {
      if (!/\/_index_template\//.test(r.path)) return r;
      const body = structuredClone(r.body) as { template: { settings: Record<string, unknown> } };
      for (const key of Object.keys(body.template.settings)) if (key.startsWith('index.lifecycle.')) delete body.template.settings[key];
      return { ...r, body };
    };
    expect(toElasticsearch.map(withoutIlm).map(normalized)).toEqual(toOpenSearch.map(normalized));
    // Among them each view's aggregation, as the dashboards' visualisations ask it.
    const searches = toOpenSearch.filter((r) => r.path === `/${encodeURIComponent(analytics.pattern('figures'))}/_search` || decodeURIComponent(r.path) === `/${analytics.pattern('figures')}/_search`).map((r) => r.body);
    for (const view of VIEWS) expect(searches, view.id).toContainEqual(viewSearchBody(view, W1, W2 + 7 * DAY));
    // Both clients read the same answers into the same results, and the views do have numbers.
    expect(answers.elasticsearch).toEqual(answers.opensearch);
    for (const view of VIEWS) expect(answers.opensearch.views[view.id]!.some((row) => Object.values(row.values).some((v) => typeof v === 'number')), view.id).toBe(true);
    // Erasure took the encounters naming enc-d3; the purge dropped W1's encounters index whole.
    expect(answers.opensearch.deleted).toBe(4);
    expect(answers.opensearch.purged.encounters).toBe(1);
    expect(toOpenSearch.filter((r) => r.method === 'DELETE').map((r) => decodeURIComponent(r.path))).toContain(`/${analytics.prefix}analytics-encounters-2026.11.16`);

    // Elasticsearch: one ILM policy per analytics index, deleting an index once its last record
    // (its period, a week or for figures a year, after the date in its name) is past retention.
    const periodDays: Record<AnalyticsIndex, number> = { cases: 7, notifications: 7, encounters: 7, activity: 7, figures: 366 };
    const policies = lifecycle.elasticsearch.filter((r) => r.method === 'PUT').map((r) => ({ path: decodeURIComponent(r.path), body: r.body as IlmBody }));
    expect(policies.map((p) => p.path)).toEqual(ANALYTICS_INDICES.map((index) => `/_ilm/policy/${analytics.policy(index)}`));
    for (const [i, index] of ANALYTICS_INDICES.entries()) {
      const { phases } = policies[i]!.body.policy;
      expect(Object.keys(phases).sort(), index).toEqual(['delete', 'hot']);
      expect(phases.hot.min_age, index).toBe('0ms');
      expect(phases.delete, index).toEqual({ min_age: `${ANALYTICS_RETENTION[index] / DAY + periodDays[index]}d`, actions: { delete: {} } });
      const template = toElasticsearch.find((r) => decodeURIComponent(r.path) === `/_index_template/${analytics.template(index)}`)!.body as { index_patterns: string[]; template: { settings: Record<string, unknown> } };
      expect(template.index_patterns).toEqual([analytics.pattern(index)]);
      expect(template.template.settings, index).toMatchObject({ 'index.lifecycle.name': analytics.policy(index), 'index.lifecycle.parse_origination_date': true });
    }
    // OpenSearch asks for its ISM policies instead (the local node has no ISM plugin: it answers no handler).
    expect(lifecycle.opensearch.map((r) => decodeURIComponent(r.path))).toEqual(ANALYTICS_INDICES.map((index) => `/_plugins/_ism/policies/${analytics.policy(index)}`));
  });
});

interface IlmBody {
  policy: { phases: { hot: { min_age: string }; delete: { min_age: string; actions: object } } };
}

/** The retention of the parity run: the defaults (README, "Retention"). */
const ANALYTICS_RETENTION: AnalyticsRetention = loadBackendConfig({ LOG_LEVEL: 'SILENT' }).analytics.retention;
const W1 = Date.UTC(2026, 10, 16);
const W2 = W1 + 7 * DAY;

/** Every figure field a view shows, filled, for all regions and two cells, per degree too; one cell's counts withheld. */
function figureDocuments(week: number, scale: number): FigureDocument[] {
  const fields = (kind: FigureDocument['kind']) => [...new Set(VIEWS.filter((v) => v.kind === kind).flatMap((v) => v.metrics.map((m) => m.field)))];
  const values = (kind: FigureDocument['kind'], seed: number) => Object.fromEntries(fields(kind).map((f, i) => [f, scale * (seed + i + 1)]));
  const common = (region: string) => ({ weekStart: week, region, computedAt: W2 + DAY, provisional: false, suppressed: [] as string[] });
  const docs: FigureDocument[] = [];
  for (const [r, region] of ['all', 'u33db', 'u33dc'].entries()) {
    const withheld = region === 'u33dc' ? { suppressed: ['newCases'], newCases: undefined } : {};
    docs.push({ ...common(region), id: figureId('region-week', week, region), kind: 'region-week', ...values('region-week', 10 * r), ...withheld } as FigureDocument);
    for (const degree of [1, 2]) docs.push({ ...common(region), id: figureId('degree-week', week, region, degree), kind: 'degree-week', degree, policyProbability: 0.5 ** degree, ...values('degree-week', 10 * r + degree) } as FigureDocument);
  }
  return docs.map((d) => JSON.parse(JSON.stringify(d)) as FigureDocument);
}

async function allPages<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** Every analytics store operation, each view of the dashboards and the report, erasure and purge. */
async function exerciseAnalytics(engine: SearchEngine, names: AnalyticsIndexNames) {
  await installAnalyticsIndices(engine, names, LOCAL_INDEX_SETTINGS, ANALYTICS_RETENTION);
  const store = new SearchAnalyticsStore(engine, names);
  await store.putCases([aCaseRecord('c1', 'case-d1', W1 + DAY), aCaseRecord('c2', 'case-d2', W2 + DAY, { infectors: ['c1'], symptomOnsetDay: W2 })]);
  await store.putNotifications([aNotification('n1', 'warn-d1', W1 + DAY), aNotification('n2', 'warn-d2', W1 + 2 * DAY)]);
  await store.putEncounters([anEncounter('e1', 'enc-d1', 'enc-d2', W1), anEncounter('e2', 'enc-d2', 'enc-d3', W1 + DAY), anEncounter('e3', 'enc-d1', 'enc-d3', W2)]);
  await store.putActivity([anActivity('a1', 'act-d1', W1), anActivity('a2', 'act-d1', W2)]);
  await store.replaceFigures([W1, W2], [...figureDocuments(W1, 1), ...figureDocuments(W2, 2)]);
  await store.replaceFigures([W2], figureDocuments(W2, 3));
  const views: Record<string, ViewRow[]> = {};
  for (const view of VIEWS) views[view.id] = await store.viewRows(view, W1, W2 + 7 * DAY);
  const read = {
    cases: await store.casesBetween(W1, W2 + 7 * DAY),
    casesOf: await store.casesOfDevices(['case-d2', 'other']),
    notifications: await allPages(store.notificationPages(W1, W2)),
    encounters: await allPages(store.encounterPages(W1, W2 + 7 * DAY)),
    activity: await allPages(store.activityPages(W2, W2 + DAY)),
    figures: await store.figures(W1, W2 + 7 * DAY),
    views,
  };
  const deleted = await store.deleteMentioning({ cases: ['case-d1'], notifications: ['warn-d1'], encounters: ['enc-d3'], activity: [] });
  // 30 days after W2: W1's encounters index is dropped whole, W2's record goes by query.
  const purged = await store.purge(W2 + 30 * DAY, ANALYTICS_RETENTION);
  return { ...read, deleted, purged, counts: await store.counts() };
}
