import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeEpidemiology } from '../../../backend/src/application/analytics/compute-epidemiology.js';
import { ANALYTICS_MAPPINGS } from '../../../backend/src/adapters/search/analytics-mappings.js';
import { figureId, type DegreeWeekFigures, type FigureDocument, type RegionWeekFigures } from '../../../backend/src/domain/analytics/figures.js';
import { ALL_REGIONS, geohashRegions } from '../../../backend/src/domain/analytics/regions.js';
import { analyticsJobDeps } from '../../../backend/src/handlers/analytics-handlers.js';
import { collectReportData } from '../../../backend/src/reporting/report-data.js';
import { renderReport } from '../../../backend/src/reporting/report-html.js';
import { QUESTIONS, VIEWS } from '../../../backend/src/reporting/views.js';
import { testClock } from '../../support/embedded-services.js';
import { headlessChromium } from '../../support/headless-chromium.js';
import { playEpidemic, type EpidemicRun } from '../../support/epidemic/epidemic-driver.js';
import { ExpectedFigures } from '../../support/epidemic/expected-figures.js';
import { SCENARIO_DAYS, SCENARIO_START, SEEDED_SCENARIO } from '../../support/epidemic/seeded-scenario.js';
import { embeddedWorldBackend, type WorldBackend } from '../../support/tracing-world.js';

const DAY = 86_400_000;
const cells = geohashRegions(5);
const regionId = (name: string) => cells.regionOf(SEEDED_SCENARIO.regions.find((r) => r.name === name)!.centre);
const REGIONS = [...SEEDED_SCENARIO.regions.map((r) => regionId(r.name)), ALL_REGIONS];
/** The second wave's weeks (Mondays), every cohort of which was followed up before the end. */
const SECOND_WAVE = Array.from({ length: 5 }, (_, i) => SCENARIO_START + (126 + 7 * i) * DAY);
const cellsOf = (weeks: readonly number[]) => weeks.flatMap((w) => REGIONS.map((r) => [w, r] as const));

// Generous timeouts: the truth is recomputed from every meeting, slow on a loaded machine.
describe('the analytics of a seeded epidemic, against its truth (embedded backend)', { timeout: 300_000 }, () => {
  const clock = testClock(new Date(SCENARIO_START));
  let backend: WorldBackend;
  let run: EpidemicRun;
  let truth: ExpectedFigures;
  const figures = new Map<number, Map<string, FigureDocument>>();

  /** The figures computed with this small-cell threshold and serial interval: the records stay the same. */
  async function figuresAt(k: number, serialInterval?: { meanDays: number; sdDays: number }): Promise<Map<string, FigureDocument>> {
    const deps = analyticsJobDeps(backend.services);
    const epidemiology = { ...deps.config.epidemiology, minCellSize: k, ...(serialInterval ? { serialInterval } : {}) };
    await computeEpidemiology({ ...deps, config: { ...deps.config, epidemiology } }, new Date(SCENARIO_START));
    return new Map((await backend.services.analytics.figures(SCENARIO_START, clock.now().getTime())).map((d) => [d.id, d]));
  }
  const regionWeek = (k: number, week: number, region: string) => figures.get(k)!.get(figureId('region-week', week, region)) as RegionWeekFigures | undefined;
  const degreeWeek = (k: number, week: number, region: string, degree: number) => figures.get(k)!.get(figureId('degree-week', week, region, degree)) as DegreeWeekFigures | undefined;

  beforeAll(async () => {
    // Encounter records are kept 60 days (default 28), so that the whole second wave (its first week
    // 52 days before the end) can still be recomputed at the end with other k and serial intervals:
    // the job leaves weeks with expired records as published.
    backend = await embeddedWorldBackend(clock, { SQLITE_SYNCHRONOUS: 'NORMAL', ANALYTICS_ENCOUNTER_RETENTION_DAYS: '60' });
    run = await playEpidemic(backend, clock, SEEDED_SCENARIO, SCENARIO_DAYS);
    truth = new ExpectedFigures(run, regionId, { incubationDays: 14, isolationDays: 10 });
    const intervals = truth.serialIntervals();
    const mean = intervals.reduce((a, b) => a + b, 0) / intervals.length;
    const sd = Math.sqrt(intervals.reduce((a, b) => a + (b - mean) ** 2, 0) / (intervals.length - 1));
    figures.set(3, await figuresAt(3, { meanDays: mean, sdDays: sd }));
    figures.set(10, await figuresAt(10));
  }, 900_000);
  afterAll(() => backend?.close());

  it('prints what each figure showed', () => {
    const rows = cellsOf(SECOND_WAVE).map(([week, region]) => {
      const d = regionWeek(3, week, region);
      const d1 = degreeWeek(3, week, region, 1);
      const key = `${week}|${region}`;
      return {
        week: new Date(week).toISOString().slice(0, 10),
        region,
        cases: `${d?.newCases ?? '-'} / ${truth.newCases().get(key) ?? 0}`,
        warnings1: `${d1?.notifications ?? '-'} / ${truth.notifications().get(`${key}|1`) ?? 0}`,
        sar1: `${d1?.sar ?? '-'} / ${JSON.stringify(truth.secondaryAttack().get(`${key}|1`))}`,
        compliance: `${d?.compliance ?? '-'} / ${JSON.stringify(truth.compliance().get(key))}`,
        rChains: `${d?.rChains ?? '-'} [${d?.rChainsLow ?? '-'}, ${d?.rChainsHigh ?? '-'}] / ${truth.secondaryCasesPerCase().get(key)?.toFixed(2) ?? '-'}`,
        rRenewal: `${d?.rRenewal ?? '-'} [${d?.rRenewalLow ?? '-'}, ${d?.rRenewalHigh ?? '-'}] / ${truth.realisedR().get(key)?.toFixed(2) ?? '-'}`,
        reinfections: `${d?.reinfections ?? '-'} / ${truth.reinfections(90).get(key) ?? 0}`,
        active: `${d?.activeDevices ?? '-'} / ${truth.activeDevices().get(key) ?? 0}`,
        pairDays: `${d?.encounters ?? '-'} / ${truth.pairDays().all.get(key) ?? 0}`,
      };
    });
    console.table(rows);
    expect(rows.length).toBe(SECOND_WAVE.length * REGIONS.length);
  });

  /** A figure either equals the truth, or is withheld and named among the suppressed, or is absent with nothing to count. */
  function shownOrWithheld(doc: FigureDocument, field: string, expected: number): void {
    const value = (doc as unknown as Record<string, number | undefined>)[field];
    if (value !== undefined) expect(value, field).toBeCloseTo(expected, 3);
    else if (!doc.suppressed.includes(field)) expect(expected, `${field} absent`).toBe(0);
  }

  it('counts cases, warnings by degree, active devices and reinfections exactly as they happened', () => {
    let shown = 0;
    for (const [week, region] of cellsOf(SECOND_WAVE)) {
      const key = `${week}|${region}`;
      const d = regionWeek(3, week, region)!;
      expect(d, key).toBeDefined();
      shownOrWithheld(d, 'newCases', truth.newCases().get(key) ?? 0);
      shownOrWithheld(d, 'activeDevices', truth.activeDevices().get(key) ?? 0);
      shownOrWithheld(d, 'reinfections', truth.reinfections(90).get(key) ?? 0);
      for (const degree of [1, 2]) {
        const dd = degreeWeek(3, week, region, degree);
        const expected = truth.notifications().get(`${key}|${degree}`) ?? 0;
        if (dd) shownOrWithheld(dd, 'notifications', expected);
        else expect(expected, `${key}|${degree}`).toBe(0);
      }
      if (d.newCases !== undefined) shown++;
      if (region === ALL_REGIONS && (truth.newCases().get(key) ?? 0) >= 3) expect(d.newCases, key).toBe(truth.newCases().get(key));
    }
    expect(shown).toBeGreaterThan(REGIONS.length * 3);
    // The scenario does reinfect: a figure that is always 0 would prove nothing.
    expect([...truth.reinfections(90).entries()].filter(([k]) => k.endsWith(`|${ALL_REGIONS}`)).reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(0);
  });

  it('measures the secondary attack rate and isolation compliance of the warned people from the data itself', () => {
    let compared = 0;
    for (const [week, region] of cellsOf(SECOND_WAVE)) {
      const key = `${week}|${region}`;
      const d = regionWeek(3, week, region)!;
      const compliance = truth.compliance().get(key);
      if (d.compliance !== undefined) {
        expect(d.complianceCohort, key).toBe(compliance!.cohort);
        expect(d.compliance, key).toBeCloseTo(compliance!.positive / compliance!.cohort, 3);
        compared++;
      }
      const d1 = degreeWeek(3, week, region, 1);
      const sar = truth.secondaryAttack().get(`${key}|1`);
      if (d1?.sar !== undefined) {
        expect(d1.sarCohort, key).toBe(sar!.cohort);
        expect(d1.sar, key).toBeCloseTo(sar!.positive / sar!.cohort, 3);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('brackets the realised reproduction number with both estimates\' intervals', () => {
    let compared = 0;
    for (const [week, region] of cellsOf(SECOND_WAVE)) {
      const key = `${week}|${region}`;
      const d = regionWeek(3, week, region)!;
      const realised = truth.realisedR().get(key);
      if (d.rRenewal !== undefined && realised !== undefined) {
        expect(realised, `${key} renewal`).toBeGreaterThanOrEqual(d.rRenewalLow!);
        expect(realised, `${key} renewal`).toBeLessThanOrEqual(d.rRenewalHigh!);
        compared++;
      }
      const perCase = truth.secondaryCasesPerCase().get(key);
      if (d.rChains !== undefined && perCase !== undefined) {
        expect(perCase, `${key} chains`).toBeGreaterThanOrEqual(d.rChainsLow!);
        expect(perCase, `${key} chains`).toBeLessThanOrEqual(d.rChainsHigh!);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(8);
    // The growing first weeks and the shrinking ones after isolation are told apart.
    const all = (i: number) => regionWeek(3, SECOND_WAVE[i]!, ALL_REGIONS)!;
    expect(all(0).rRenewalLow!).toBeGreaterThan(1);
    expect(all(1).rRenewalHigh!).toBeLessThan(1);
  });

  it('counts the encounters (pair-days) of every week as they happened', () => {
    for (const [week, region] of cellsOf(SECOND_WAVE)) {
      const d = regionWeek(3, week, region)!;
      shownOrWithheld(d, 'encounters', truth.pairDays().all.get(`${week}|${region}`) ?? 0);
    }
  });

  it('renders the officials\' report: every chart and table has data, and the page loads nothing from the network', async () => {
    // At k = 3, so that the scenario's 6 reinfections are shown too (at 10 they are withheld).
    await figuresAt(3);
    const data = await collectReportData(backend.services.analytics, SECOND_WAVE[0]!, SECOND_WAVE.at(-1)! + 7 * DAY - 1, {
      regions: 'geohash cells of precision 5 (about 4.9 × 4.9 km)',
      minCellSize: 3,
      serialInterval: 'mean 4.7 days, SD 2.9 days',
      hopProbability: 0.5,
      backend: 'embedded store',
    });
    const html = renderReport(data);
    const chromium = await headlessChromium();
    try {
      const page = await chromium.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      const requests: string[] = [];
      await page.route('**/*', (route) => {
        requests.push(route.request().url());
        return route.abort();
      });
      await page.setContent(html, { waitUntil: 'load' });
      const views = await page.$$eval('figure.view', (figures) =>
        figures.map((f) => ({ id: f.id, rows: Number(f.getAttribute('data-rows')), marks: f.querySelectorAll('svg .datum, td.datum').length, empty: f.querySelector('.empty') !== null })),
      );
      if (process.env.REPORT_SCREENSHOT) await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: true });
      expect(views.length).toBe(VIEWS.length);
      for (const v of views) {
        expect(v.rows, v.id).toBeGreaterThan(0);
        expect(v.marks, v.id).toBeGreaterThan(0);
        expect(v.empty, v.id).toBe(false);
      }
      expect(await page.$$eval('section h2', (hs) => hs.map((h) => h.textContent))).toEqual(QUESTIONS.map((q) => q.title));
      expect(requests).toEqual([]);
    } finally {
      await chromium.close();
    }
  }, 120_000);

  it('keeps no phone, subject or coordinate in the analytics records, and gives a device unrelated pseudonyms per index', async () => {
    const a = backend.services.analytics;
    const until = clock.now().getTime() + DAY;
    const collect = async <T>(pages: AsyncIterable<T[]>) => {
      const out: T[] = [];
      for await (const page of pages) out.push(...page);
      return out;
    };
    const records = {
      cases: await a.casesBetween(SCENARIO_START, until),
      notifications: await collect(a.notificationPages(SCENARIO_START, until)),
      encounters: await collect(a.encounterPages(SCENARIO_START, until)),
      activity: await collect(a.activityPages(SCENARIO_START, until)),
    };
    const regionCells = new Set(REGIONS.filter((r) => r !== ALL_REGIONS));
    const pseudonymsIn = new Map<string, Set<string>>();
    for (const [index, list] of Object.entries(records)) {
      expect(list.length, index).toBeGreaterThan(0);
      const allowed = new Set(Object.keys(ANALYTICS_MAPPINGS[index as keyof typeof records].properties));
      const names = new Set<string>();
      for (const r of list as unknown as Record<string, unknown>[]) {
        expect(Object.keys(r).filter((k) => !allowed.has(k)), index).toEqual([]);
        expect(regionCells.has(r.region as string), `${index} region ${String(r.region)}`).toBe(true);
        for (const field of ['device', 'deviceLow', 'deviceHigh']) {
          if (r[field] === undefined) continue;
          expect(r[field] as string).toMatch(/^[A-Za-z0-9_-]{22}$/);
          names.add(r[field] as string);
        }
      }
      const text = JSON.stringify(list);
      expect(text).not.toMatch(/person-|\+\d{6,}|"(lat|lon|location)"/);
      pseudonymsIn.set(index, names);
    }
    const indices = [...pseudonymsIn.keys()];
    for (const x of indices) for (const y of indices) if (x < y) expect([...pseudonymsIn.get(x)!].filter((n) => pseudonymsIn.get(y)!.has(n)), `${x} ∩ ${y}`).toEqual([]);
    // Weekly keys: a device active in two weeks has a different pseudonym in each.
    const weeksOf = new Map<string, Set<number>>();
    for (const r of records.activity) weeksOf.set(r.device, (weeksOf.get(r.device) ?? new Set()).add(r.week));
    expect([...weeksOf.values()].every((w) => w.size === 1)).toBe(true);
    expect(weeksOf.size).toBeGreaterThan(run.devices.length);
  });

  it('with the default k = 10, a cell of 3 people returns no number', () => {
    const village = regionId('village');
    const week = SECOND_WAVE[0]!;
    expect(truth.newCases().get(`${week}|${village}`)).toBe(3);
    const doc = regionWeek(10, week, village)!;
    expect(doc.newCases).toBeUndefined();
    expect(doc.suppressed).toContain('newCases');
    // Every count of people shown is 0 or at least 10.
    for (const d of figures.get(10)!.values()) if (d.kind === 'region-week' && d.newCases !== undefined) expect(d.newCases === 0 || d.newCases >= 10).toBe(true);
    // At k = 3 the same cell shows its 3 cases.
    expect(regionWeek(3, week, village)!.newCases).toBe(3);
  });
});
