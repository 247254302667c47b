import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeEpidemiology } from '../../../backend/src/application/analytics/compute-epidemiology.js';
import { figureId, type DegreeWeekFigures, type FigureDocument, type RegionWeekFigures } from '../../../backend/src/domain/analytics/figures.js';
import { ALL_REGIONS, geohashRegions } from '../../../backend/src/domain/analytics/regions.js';
import { analyticsJobDeps } from '../../../backend/src/handlers/analytics-handlers.js';
import { testClock } from '../../support/embedded-services.js';
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

describe('the analytics of a seeded epidemic, against its truth (embedded backend)', () => {
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
    backend = await embeddedWorldBackend(clock, { SQLITE_SYNCHRONOUS: 'NORMAL' });
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
