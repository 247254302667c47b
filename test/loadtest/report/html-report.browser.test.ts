import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLoadOptions } from '../../../loadtest/src/config/load-options.js';
import { writeReport } from '../../../loadtest/src/report/write-report.js';
import { runLoad } from '../../../loadtest/src/run/run-load.js';
import { headlessChromium } from '../../support/headless-chromium.js';
import { startFakeApi } from '../support/fake-api.js';

const OFFICIAL = '+447700900001';

interface ChartFacts {
  title: string;
  width: number;
  containerWidth: number;
  series: { name: string; points: number; drawn: number }[];
  yTicks: string[];
}

/**
 * What a reader of the page would see, measured in the browser. The function runs in the page; the
 * project compiles without the DOM's types, so it reaches the page's globals untyped.
 */
async function pageFacts(page: Page): Promise<{ charts: ChartFacts[]; overflow: number; duplicates: string; warning: string }> {
  return page.evaluate(() => {
    const { document, window, getComputedStyle } = globalThis as any;
    const text = (el: any): string => el?.textContent ?? '';
    const charts = [...document.querySelectorAll('svg.chart')].map((svg: any): ChartFacts => {
      const parent = svg.parentElement;
      const style = getComputedStyle(parent);
      return {
        title: svg.getAttribute('aria-label') ?? '',
        width: svg.getBoundingClientRect().width,
        containerWidth: parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        series: [...svg.querySelectorAll('g.series')].map((g: any) => {
          const path = g.querySelector('path');
          return { name: g.dataset.series ?? '', points: Number(g.dataset.points), drawn: path ? path.getTotalLength() : g.querySelectorAll('circle').length };
        }),
        yTicks: [...svg.querySelectorAll('text.tick[text-anchor="end"]')].map(text),
      };
    });
    const rows = [...document.querySelectorAll('table.facts tr')];
    return {
      charts,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      duplicates: text(rows.find((tr: any) => text(tr.querySelector('th')) === 'Duplicates')?.querySelector('td')),
      warning: text(document.querySelector('p.warning')),
    };
  });
}

const ONE_TWO_FIVE = /^(0\.0*)?[125]0*(k|M)?$/;

describe('HTML report in headless Chromium', () => {
  let htmlUrl: string;
  let outDir: string;
  let browser: Awaited<ReturnType<typeof headlessChromium>>;
  const requested: string[] = [];

  beforeAll(async () => {
    const api = await startFakeApi({ officialPhone: OFFICIAL });
    try {
      const parsed = parseLoadOptions({ target: api.url, scenario: 'smoke', devices: '6', duration: '3s', 'official-phone': OFFICIAL, 'stats-interval': '200ms', 'drain-timeout': '5s' });
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      const result = await runLoad(parsed.options, { progress: { update: () => {}, stop: () => {} }, log: () => {} });
      outDir = mkdtempSync(join(tmpdir(), 'loadtest-html-'));
      htmlUrl = pathToFileURL(writeReport(result, outDir).html).href;
    } finally {
      await api.stop();
    }
    browser = await headlessChromium();
    browser.context.on('request', (request) => requested.push(request.url()));
    await browser.context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  describe.each([1_280, 800])('at a window %i px wide', (width) => {
    let facts: Awaited<ReturnType<typeof pageFacts>>;
    beforeAll(async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(htmlUrl);
      facts = await pageFacts(page);
      await page.close();
    });

    it('fits the page: no sideways scrolling, every chart as wide as the text column', () => {
      expect(facts.overflow).toBeLessThanOrEqual(0);
      expect(facts.charts.length).toBeGreaterThanOrEqual(7);
      for (const chart of facts.charts) expect(Math.abs(chart.width - chart.containerWidth)).toBeLessThan(1);
    });

    it('draws data in every chart, and p50, p90, p99 and max in every latency-over-time chart', () => {
      for (const chart of facts.charts) expect(chart.series.some((s) => s.points > 0 && s.drawn > 0)).toBe(true);
      const overTime = facts.charts.filter((c) => c.title.startsWith('Latency over time'));
      expect(overTime.length).toBeGreaterThanOrEqual(3);
      for (const chart of overTime) {
        expect(chart.series.map((s) => s.name)).toEqual(['p50', 'p90', 'p99', 'max']);
        expect(chart.series.every((s) => s.points > 0 && s.drawn > 0)).toBe(true);
      }
    });

    it('puts log-axis ticks on 1-2-5 values and counts on whole numbers', () => {
      for (const chart of facts.charts.filter((c) => c.title.startsWith('Latency'))) {
        expect(chart.yTicks.length).toBeGreaterThanOrEqual(2);
        expect(chart.yTicks.filter((t) => !ONE_TWO_FIVE.test(t))).toEqual([]);
      }
      const queue = facts.charts.find((c) => c.title === 'Queue: messages waiting and in flight')!;
      expect(queue.yTicks.filter((t) => !/^\d+$/.test(t))).toEqual([]);
    });

    it('states the duplicate share achieved beside the modelled one, and warns that 6 devices are too few', () => {
      expect(facts.duplicates).toMatch(/^\d+% achieved, 50% modelled \(\d+% expected with 6 devices\)$/);
      expect(facts.warning).toMatch(/^6 devices are too few for 50% duplicates/);
    });
  });

  it('loads nothing from the network: the report is one self-contained file', () => {
    expect(requested.length).toBeGreaterThanOrEqual(2);
    expect(requested.filter((url) => url !== htmlUrl)).toEqual([]);
  });
});
