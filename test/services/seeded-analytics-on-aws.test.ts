import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsIndexNames } from '../../backend/src/adapters/search/analytics-indices.js';
import { LOCAL_INDEX_SETTINGS } from '../../backend/src/adapters/search/contact-indices.js';
import { OpenSearchEngine } from '../../backend/src/adapters/search/opensearch-engine.js';
import { installAnalyticsIndices } from '../../backend/src/adapters/search/search-analytics-store.js';
import { computeEpidemiology } from '../../backend/src/application/analytics/compute-epidemiology.js';
import type { ViewRow } from '../../backend/src/domain/analytics/figure-views.js';
import { figureId, type FigureDocument } from '../../backend/src/domain/analytics/figures.js';
import { ALL_REGIONS, geohashRegions } from '../../backend/src/domain/analytics/regions.js';
import { analyticsJobDeps } from '../../backend/src/handlers/analytics-handlers.js';
import { savedObjects } from '../../backend/src/reporting/saved-objects.js';
import { VIEWS } from '../../backend/src/reporting/views.js';
import type { AnalyticsStore } from '../../backend/src/ports/analytics-store.js';
import type { EpidemicConfig } from '../../loadtest/src/epidemic/epidemic-config.js';
import { testClock } from '../support/embedded-services.js';
import { playEpidemic, type EpidemicRun } from '../support/epidemic/epidemic-driver.js';
import { ExpectedFigures } from '../support/epidemic/expected-figures.js';
import { SCENARIO_START, SEEDED_SCENARIO } from '../support/epidemic/seeded-scenario.js';
import { embeddedWorldBackend, type WorldBackend } from '../support/tracing-world.js';
import { awsBackend, type AwsBackend } from './support/adapter-backend.js';
import { localAwsClients, localServices } from './support/aws-clients.js';

const clients = localAwsClients();
const DAY = 86_400_000;
const K = 3;

/**
 * A small seeded epidemic (two towns of 30, a fortnight of meetings) that both backends can play
 * in a test's time: every cohort is followed up by the last day.
 */
const SMALL: EpidemicConfig = {
  ...SEEDED_SCENARIO,
  activeDays: [[0, 13]],
  regions: SEEDED_SCENARIO.regions.filter((r) => r.name === 'north' || r.name === 'south').map((r) => ({ ...r, people: 30 })),
  phases: [{ startDay: 0, seeds: { north: 3, south: 3 } }],
};
const DAYS = 30;
/** Encounters kept past the last day, so that the first week is still computed at the end (the job leaves weeks with expired records as published). */
const ENV = { ANALYTICS_ENCOUNTER_RETENTION_DAYS: '60' };
const cells = geohashRegions(5);
const regionId = (name: string) => cells.regionOf(SMALL.regions.find((r) => r.name === name)!.centre);
const WEEKS = Array.from({ length: 4 }, (_, i) => SCENARIO_START + 7 * i * DAY);
const UNTIL = WEEKS.at(-1)! + 7 * DAY;

/** The figures at k = 3 (the records stay as derived), and every view's answer over them. */
async function figuresAndViews(backend: WorldBackend): Promise<{ views: Map<string, ViewRow[]>; documents: FigureDocument[] }> {
  const deps = analyticsJobDeps(backend.services);
  await computeEpidemiology({ ...deps, config: { ...deps.config, epidemiology: { ...deps.config.epidemiology, minCellSize: K } } }, new Date(SCENARIO_START));
  const views = new Map<string, ViewRow[]>();
  for (const view of VIEWS) views.set(view.id, await backend.services.analytics.viewRows(view, SCENARIO_START, UNTIL));
  return { views, documents: await backend.services.analytics.figures(SCENARIO_START, UNTIL) };
}

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** The records one backend derived, written into another's analytics store. */
async function copyRecords(from: AnalyticsStore, to: AnalyticsStore): Promise<void> {
  await to.putCases(await from.casesBetween(SCENARIO_START - DAY, UNTIL + DAY));
  await to.putNotifications(await all(from.notificationPages(SCENARIO_START - DAY, UNTIL + DAY)));
  await to.putEncounters(await all(from.encounterPages(SCENARIO_START - DAY, UNTIL + DAY)));
  await to.putActivity(await all(from.activityPages(SCENARIO_START - DAY, UNTIL + DAY)));
}

/**
 * The dashboards' questions after a seeded scenario played through the AWS adapters (DynamoDB
 * Local, ElasticMQ, the real OpenSearch node with the analytics templates installed), against the
 * scenario's truth, and against the embedded SQLite stack computing over the records it derived.
 */
describe('the dashboards over a seeded epidemic on the AWS backend', { timeout: 600_000 }, () => {
  const search = new Client({ node: localServices().opensearch!.node });
  let aws: AwsBackend;
  let embedded: WorldBackend;
  let run: EpidemicRun;
  let onAws: Awaited<ReturnType<typeof figuresAndViews>>;
  let onEmbedded: Awaited<ReturnType<typeof figuresAndViews>>;
  let truth: ExpectedFigures;
  let prefix: string;

  beforeAll(async () => {
    const clock = testClock(new Date(SCENARIO_START));
    aws = await awsBackend({ clients, clock, env: ENV });
    prefix = aws.indices.prefix;
    await installAnalyticsIndices(new OpenSearchEngine(search), analyticsIndexNames(prefix), LOCAL_INDEX_SETTINGS, aws.services.config.analytics.retention);
    run = await playEpidemic(aws, clock, SMALL, DAYS);
    onAws = await figuresAndViews(aws);
    // The embedded stack's analytics over the very records the AWS backend derived, at the same time.
    embedded = await embeddedWorldBackend(clock, { ...ENV, SQLITE_SYNCHRONOUS: 'NORMAL' });
    await copyRecords(aws.services.analytics, embedded.services.analytics);
    onEmbedded = await figuresAndViews(embedded);
    truth = new ExpectedFigures(run, regionId, { incubationDays: 14, isolationDays: 10 });
  }, 1_200_000);
  afterAll(async () => {
    await aws?.close();
    await embedded?.close();
    await search.indices.delete({ index: `${prefix}analytics-*`, expand_wildcards: 'all' }, { ignore: [404] });
    await search.close();
  });

  it('finds every field the bundle aggregates in the live mapping the scenario filled, with its type (field capabilities)', async () => {
    const objects = savedObjects(prefix);
    const pattern = objects.find((o) => o.type === 'index-pattern')!.attributes.title as string;
    const wanted = new Map<string, string>([['kind', 'keyword'], ['region', 'keyword']]);
    for (const o of objects.filter((x) => x.type === 'visualization')) {
      for (const a of (JSON.parse(o.attributes.visState as string) as { aggs: { type: string; params: { field: string } }[] }).aggs) {
        wanted.set(a.params.field, a.type === 'date_histogram' ? 'date' : a.params.field === 'region' ? 'keyword' : 'number');
      }
    }
    const response = await search.transport.request({ method: 'GET', path: `/${encodeURIComponent(pattern)}/_field_caps`, querystring: { fields: [...wanted.keys()].join(',') } });
    const fields = (response.body as { fields: Record<string, Record<string, { aggregatable: boolean }>> }).fields;
    const numeric = new Set(['long', 'integer', 'double', 'float', 'scaled_float']);
    for (const [field, kind] of wanted) {
      const types = Object.keys(fields[field] ?? {});
      expect(types, field).toHaveLength(1);
      expect(fields[field]![types[0]!]!.aggregatable, field).toBe(true);
      expect(kind === 'number' ? numeric.has(types[0]!) : types[0] === kind, `${field}: ${types[0]}`).toBe(true);
    }
  });

  it("answers each visualisation's aggregation with the scenario's cases, warnings and active devices", () => {
    const expectWeekly = (viewId: string, field: string, expected: (week: number, region: string) => number) => {
      let compared = 0;
      for (const row of onAws.views.get(viewId)!) {
        const value = row.values[field];
        const want = expected(row.weekStart!, row.region ?? ALL_REGIONS);
        // A withheld cell (fewer than k people, or it would reveal one) shows no number; any number shown is the truth.
        const id = figureId('region-week', row.weekStart!, row.region ?? ALL_REGIONS);
        if (value !== null) expect(value, `${viewId} ${id}`).toBe(want);
        else if (!(onAws.documents.find((d) => d.id === id)?.suppressed ?? []).includes(field)) expect(want, `${viewId} ${id}: nothing to count`).toBe(0);
        if (value !== null && value !== undefined && value > 0) compared++;
      }
      expect(compared, viewId).toBeGreaterThan(0);
    };
    const at = (m: Map<string, number>) => (week: number, region: string) => m.get(`${week}|${region}`) ?? 0;
    expectWeekly('overview-cases', 'newCases', at(truth.newCases()));
    expectWeekly('where-cases', 'newCases', at(truth.newCases()));
    expectWeekly('overview-national', 'activeDevices', at(truth.activeDevices()));
    const allDegrees = (week: number, region: string) => [...truth.notifications()].filter(([key]) => key.startsWith(`${week}|${region}|`)).reduce((n, [, count]) => n + count, 0);
    expectWeekly('where-warnings', 'notifications', allDegrees);
    expect(truth.newCases().get(`${WEEKS[1]}|${ALL_REGIONS}`)).toBeGreaterThanOrEqual(K);
  });

  it('gives the same answer to every view as the embedded SQLite stack computing over the same records', () => {
    const differences: string[] = [];
    for (const view of VIEWS) {
      const a = onAws.views.get(view.id)!;
      const e = onEmbedded.views.get(view.id)!;
      expect(a.map((r) => [r.weekStart, r.region, r.degree]), view.id).toEqual(e.map((r) => [r.weekStart, r.region, r.degree]));
      a.forEach((row, i) => {
        for (const [field, value] of Object.entries(row.values)) {
          const other = e[i]!.values[field];
          const same = value === null || other === null ? value === other : Math.abs(value! - other!) < 1e-6;
          if (!same) differences.push(`${view.id} ${new Date(row.weekStart!).toISOString().slice(0, 10)} ${row.region ?? ''} ${row.degree ?? ''} ${field}: aws ${value}, embedded ${other}`);
        }
      });
    }
    const docs = (ds: FigureDocument[]) => ds.filter((d) => d.kind === 'degree-week').map((d) => JSON.stringify(d, (k, v) => (k === 'computedAt' ? undefined : v)));
    if (differences.length > 0) console.log(differences.join('\n'), '\naws', docs(onAws.documents).join('\n'), '\nembedded', docs(onEmbedded.documents).join('\n'));
    expect(differences).toEqual([]);
    expect(VIEWS.filter((v) => onAws.views.get(v.id)!.some((r) => Object.values(r.values).some((x) => typeof x === 'number'))).length).toBeGreaterThan(VIEWS.length / 2);
  });
});
