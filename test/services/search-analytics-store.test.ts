import { Client } from '@opensearch-project/opensearch';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyticsIndexNames, type AnalyticsIndexNames } from '../../backend/src/adapters/search/analytics-indices.js';
import { LOCAL_INDEX_SETTINGS } from '../../backend/src/adapters/search/contact-indices.js';
import { OpenSearchEngine } from '../../backend/src/adapters/search/opensearch-engine.js';
import { installAnalyticsIndices, SearchAnalyticsStore } from '../../backend/src/adapters/search/search-analytics-store.js';
import { figureId, type FigureDocument } from '../../backend/src/domain/analytics/figures.js';
import { savedObjects } from '../../backend/src/reporting/saved-objects.js';
import { VIEWS } from '../../backend/src/reporting/views.js';
import type { AnalyticsRetention } from '../../backend/src/ports/analytics-store.js';
import type { AdapterHarness } from '../backend/contracts/adapter-harness.js';
import { describeAnalyticsStoreContract } from '../backend/contracts/analytics-store.contract.js';
import { DAY } from '../support/builders.js';
import { localServices, uniquePrefix } from './support/aws-clients.js';

const { opensearch } = localServices();
if (!opensearch) throw new Error('the global setup did not start opensearch');
const client = new Client({ node: opensearch.node });
afterAll(() => client.close());

const RETENTION: AnalyticsRetention = { cases: 400 * DAY, notifications: 90 * DAY, encounters: 28 * DAY, activity: 90 * DAY, figures: 730 * DAY };

async function freshStore(): Promise<{ names: AnalyticsIndexNames; store: SearchAnalyticsStore; close: () => Promise<void> }> {
  const names = analyticsIndexNames(uniquePrefix());
  const engine = new OpenSearchEngine(client);
  await installAnalyticsIndices(engine, names, LOCAL_INDEX_SETTINGS, RETENTION);
  return {
    names,
    store: new SearchAnalyticsStore(engine, names),
    close: async () => {
      await client.indices.delete({ index: `${names.prefix}analytics-*`, expand_wildcards: "all" }, { ignore: [404] });
    },
  };
}

describeAnalyticsStoreContract('opensearch', async (): Promise<AdapterHarness<SearchAnalyticsStore>> => {
  const { store, close } = await freshStore();
  return { adapter: store, close };
});

/** Monday 2026-11-16 and the week after. */
const W1 = Date.UTC(2026, 10, 16);
const W2 = W1 + 7 * DAY;

describe('the dashboards bundle against the live OpenSearch mapping', () => {
  let names: AnalyticsIndexNames;
  let store: SearchAnalyticsStore;
  let close: () => Promise<void>;
  beforeEach(async () => ({ names, store, close } = await freshStore()));
  afterEach(() => close());

  const doc = (week: number, region: string, values: Partial<FigureDocument>): FigureDocument =>
    ({ id: figureId('region-week', week, region), kind: 'region-week', weekStart: week, region, computedAt: W2 + DAY, provisional: false, suppressed: [], ...values }) as FigureDocument;

  it('finds every field the visualisations aggregate, with the type the aggregation needs (field capabilities)', async () => {
    await store.replaceFigures([W1], [doc(W1, 'all', { newCases: 12 } as Partial<FigureDocument>)]);
    const objects = savedObjects(names.prefix);
    const pattern = objects.find((o) => o.type === 'index-pattern')!.attributes.title as string;
    const wanted = new Map<string, 'date' | 'keyword' | 'number' | 'term'>([['kind', 'keyword'], ['region', 'keyword'], ['degree', 'number']]);
    for (const o of objects.filter((x) => x.type === 'visualization')) {
      const { aggs } = JSON.parse(o.attributes.visState as string) as { aggs: { type: string; params: { field: string } }[] };
      for (const a of aggs) wanted.set(a.params.field, a.type === 'date_histogram' ? 'date' : a.type === 'terms' ? (wanted.get(a.params.field) ?? 'term') : 'number');
    }
    const response = await client.transport.request({ method: 'GET', path: `/${encodeURIComponent(pattern)}/_field_caps`, querystring: { fields: [...wanted.keys()].join(',') } });
    const fields = (response.body as { fields: Record<string, Record<string, { type: string; aggregatable: boolean }>> }).fields;
    const numeric = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float']);
    for (const [field, kind] of wanted) {
      const caps = fields[field];
      expect(caps, field).toBeDefined();
      const types = Object.keys(caps!);
      expect(types, field).toHaveLength(1);
      const type = types[0]!;
      expect(caps![type]!.aggregatable, field).toBe(true);
      if (kind === 'number') expect(numeric.has(type), `${field}: ${type}`).toBe(true);
      else if (kind === 'term') expect(type === 'keyword' || numeric.has(type), `${field}: ${type}`).toBe(true);
      else expect(type, field).toBe(kind);
    }
    expect(wanted.size).toBeGreaterThan(15);
  });

  it('answers each view with the numbers written, withheld cells as no number', async () => {
    await store.replaceFigures(
      [W1, W2],
      [
        doc(W1, 'all', { newCases: 40, notifications: 120, rRenewal: 1.4, compliance: 0.62, reinfections: 0, activeDevices: 900 } as Partial<FigureDocument>),
        doc(W1, 'u33db', { newCases: 28, notifications: 80, activeDevices: 500 } as Partial<FigureDocument>),
        doc(W1, 'u33dc', { suppressed: ['newCases'], notifications: 40, activeDevices: 400 } as Partial<FigureDocument>),
        doc(W2, 'all', { newCases: 22, notifications: 60, rRenewal: 0.8, compliance: 0.71, reinfections: 0, activeDevices: 880 } as Partial<FigureDocument>),
      ],
    );
    const cases = VIEWS.find((v) => v.id === 'where-cases')!;
    expect(await store.viewRows(cases, W1, W2 + 7 * DAY)).toEqual([
      { weekStart: W1, region: 'u33db', values: { newCases: 28 } },
      { weekStart: W1, region: 'u33dc', values: { newCases: null } },
    ]);
    const national = VIEWS.find((v) => v.id === 'overview-cases')!;
    expect(await store.viewRows(national, W1, W2 + 7 * DAY)).toEqual([
      { weekStart: W1, values: { newCases: 40 } },
      { weekStart: W2, values: { newCases: 22 } },
    ]);
  });
});
