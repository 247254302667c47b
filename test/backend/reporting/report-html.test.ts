import { describe, expect, it } from 'vitest';
import type { ViewRow } from '../../../backend/src/domain/analytics/figure-views.js';
import { withheldKey, type ReportData } from '../../../backend/src/reporting/report-data.js';
import { renderReport } from '../../../backend/src/reporting/report-html.js';

/** Monday 2026-03-02 and the week before. */
const W2 = Date.UTC(2026, 2, 2);
const W1 = W2 - 7 * 86_400_000;
const K = 10;

/** A week of 2 cases among 39 active devices at k = 10: the counts, R and the incidence drawn from them are withheld. */
function smallTown(): ReportData {
  const national: ViewRow[] = [
    { weekStart: W1, values: { newCases: 0, notifications: 0, rRenewal: null, rChains: null, compliance: null, reinfections: null, activeDevices: null } },
    { weekStart: W2, values: { newCases: null, notifications: 26, rRenewal: null, rChains: null, compliance: null, reinfections: 0, activeDevices: 39 } },
  ];
  const cases: ViewRow[] = [
    { weekStart: W1, values: { newCases: 0 } },
    { weekStart: W2, values: { newCases: null } },
  ];
  const withheld = new Set(['newCases', 'rRenewal'].map((field) => withheldKey('region-week', W2, 'all', undefined, field)));
  return {
    generatedAt: W2 + 3 * 86_400_000,
    weeks: [W1, W2],
    rows: new Map([
      ['overview-national', national],
      ['overview-cases', cases],
    ]),
    withheld,
    centres: new Map(),
    provisionalWeeks: new Set(),
    settings: { regions: 'geohash cells of precision 5', minCellSize: K, serialInterval: 'mean 4.7 days, SD 2.9 days', hopProbability: 1 / 3, backend: 'embedded store' },
  };
}

const figure = (html: string, view: string) => html.slice(html.indexOf(`id="view-${view}"`), html.indexOf('</figure>', html.indexOf(`id="view-${view}"`)));
const withheldCells = (html: string) => [...html.matchAll(/<td class="num withheld"[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);

describe("the officials' report, where the small-cell rule withholds a figure", () => {
  const html = renderReport(smallTown());

  it('marks a withheld count as fewer than k, and a withheld R as withheld, not as "<10"', () => {
    // Columns: new cases, warnings, R (case counts), R (chains), compliance, reinfections, active devices.
    expect(withheldCells(figure(html, 'overview-national'))).toEqual([`&lt;${K}`, 'withheld']);
  });

  it('names the weeks a chart leaves out, so a withheld week does not read as none', () => {
    const chart = figure(html, 'overview-cases');
    expect(chart).toContain('class="withheld-note"');
    expect(chart).toMatch(new RegExp(`Withheld</span> \\(fewer than ${K} people[^)]*\\): 2026-03-02\\.`));
    expect(chart).not.toContain('2026-02-23.');
  });
});
