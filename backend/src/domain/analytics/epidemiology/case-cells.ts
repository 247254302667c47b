import { MS_PER_DAY } from '../../time.js';
import { utcDayStart } from '../calendar.js';
import type { CaseRecord } from '../records.js';
import { ALL_REGIONS, type RegionId } from '../regions.js';
import { cellKey, cellsOf } from './cells.js';
import type { EpidemiologyPolicy } from './policy.js';
import { renewalEstimate, secondaryCases, type RenewalEstimate } from './reproduction.js';
import { bootstrapMean, seedOf, type Estimate } from './statistics.js';
import { PeopleCount } from './tallies.js';

export interface CaseCell {
  cases: PeopleCount;
  reinfections: PeopleCount;
  /** Cases whose device held a first-degree warning from an earlier case. */
  traced: PeopleCount;
  renewal?: RenewalEstimate | undefined;
  /** Secondary cases per index case of this week, for index cases whose follow-up is over. */
  chains?: { estimate: Estimate; indexCases: number; secondary: number } | undefined;
}

/** Everything the case records say per cell: counts, reinfections and both R estimates. */
export function caseCells(cases: readonly CaseRecord[], weeks: readonly number[], weights: readonly number[], policy: EpidemiologyPolicy, now: number): Map<string, CaseCell> {
  const cells = new Map<string, CaseCell>();
  const cell = (key: string) => {
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { cases: new PeopleCount(), reinfections: new PeopleCount(), traced: new PeopleCount() }));
    return c;
  };
  const byId = new Map(cases.map((c) => [c.id, c]));
  for (const c of cases) {
    for (const key of cellsOf(c.week, c.region)) {
      const target = cell(key);
      target.cases.add(c.device);
      if (c.previousCaseAt !== undefined && c.reportedAt - c.previousCaseAt > policy.reinfectionAfterMs) target.reinfections.add(c.device);
      if (c.infectors.some((id) => (byId.get(id)?.reportedAt ?? Infinity) < c.reportedAt)) target.traced.add(c.device);
    }
  }
  addRenewal(cell, cases, weeks, weights);
  addChains(cell, cases, weights, policy, now);
  return cells;
}

function addRenewal(cell: (key: string) => CaseCell, cases: readonly CaseRecord[], weeks: readonly number[], weights: readonly number[]): void {
  if (cases.length === 0) return;
  const firstDay = utcDayStart(Math.min(...cases.map((c) => c.reportedAt)));
  const daily = new Map<RegionId, number[]>();
  for (const c of cases) {
    const day = Math.round((utcDayStart(c.reportedAt) - firstDay) / MS_PER_DAY);
    for (const region of new Set([c.region, ALL_REGIONS])) {
      const counts = daily.get(region) ?? [];
      counts[day] = (counts[day] ?? 0) + 1;
      daily.set(region, counts);
    }
  }
  for (const [region, counts] of daily) {
    for (const week of weeks) {
      const estimate = renewalEstimate(counts, firstDay, week, week + 7 * MS_PER_DAY, weights);
      if (estimate && estimate.cases > 0) cell(cellKey(week, region)).renewal = estimate;
    }
  }
}

function addChains(cell: (key: string) => CaseCell, cases: readonly CaseRecord[], weights: readonly number[], policy: EpidemiologyPolicy, now: number): void {
  const secondary = secondaryCases(cases, weights);
  const tailMs = (weights.length - 1) * MS_PER_DAY;
  const cohorts = new Map<string, number[]>();
  for (const c of cases) {
    // An index case's infectees may still report until the serial interval's tail (and late data) has passed.
    if (now < c.reportedAt + tailMs + policy.lateDataMs) continue;
    for (const key of cellsOf(c.week, c.region)) cohorts.set(key, [...(cohorts.get(key) ?? []), secondary.get(c.id) ?? 0]);
  }
  for (const [key, values] of cohorts) {
    cell(key).chains = { estimate: bootstrapMean(values, seedOf(key)), indexCases: values.length, secondary: Math.round(values.reduce((a, b) => a + b, 0)) };
  }
}
