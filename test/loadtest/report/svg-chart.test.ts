import { describe, expect, it } from 'vitest';
import { MARGIN, VIEW, escapeXml, lineChart, type Series } from '../../../loadtest/src/report/svg-chart.js';

const series = (name: string, points: [number, number][]): Series => ({ name, points });

describe('Function: lineChart', () => {
  it.each([
    ['no series', []],
    ['only empty series', [series('a', [])]],
    ['only non-positive values on a log axis', [series('a', [[0, 0], [1, -1]])]],
  ])('says there is no data when given %s', (_case, input) => {
    const html = lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: input, logY: true });
    expect(html).toContain('no data');
    expect(html).not.toContain('<svg');
  });

  it.each([1, 3, 6])('draws one path and one legend entry per series (%i series)', (count) => {
    const input = Array.from({ length: count }, (_, i) => series(`s${i}`, [[0, i + 1], [1, i + 2], [2, i + 3]]));
    const svg = lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: input });
    expect(svg.match(/<path /g)).toHaveLength(count);
    input.forEach((s) => expect(svg).toContain(`>${s.name}<`));
  });

  it('escapes text so endpoint names and titles cannot break the markup', () => {
    const svg = lineChart({ title: '<b>&"', xLabel: 'x', yLabel: 'y', series: [series('GET /a?x=<1>', [[0, 1], [1, 2]])] });
    expect(svg).toContain(escapeXml('<b>&"'));
    expect(svg).not.toContain('<b>');
    expect(svg).toContain(escapeXml('GET /a?x=<1>'));
  });

  it('keeps every point inside the plot area', () => {
    const svg = lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: [series('a', [[0, 0.5], [10, 5_000], [20, 12]])], logY: true });
    const coords = [...svg.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(coords).toHaveLength(3);
    for (const [x, y] of coords) {
      expect(x).toBeGreaterThanOrEqual(MARGIN.left);
      expect(x).toBeLessThanOrEqual(VIEW.width - MARGIN.right);
      expect(y).toBeGreaterThanOrEqual(MARGIN.top);
      expect(y).toBeLessThanOrEqual(VIEW.height - MARGIN.bottom);
    }
  });

  it('scales to the width of its container', () => {
    const svg = lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: [series('a', [[0, 1], [1, 2]])] });
    expect(svg).toMatch(new RegExp(`^<svg [^>]*viewBox="0 0 ${VIEW.width} ${VIEW.height}" width="100%"`));
    expect(/^<svg [^>]*>/.exec(svg)![0]).not.toContain('height=');
  });

  it.each([
    ['solid', /<path [^>]*stroke-width="1.6"\/>/],
    ['dashed', /<path [^>]*stroke-dasharray="7 4"/],
    ['dotted', /<path [^>]*stroke-dasharray="2 3"/],
    ['points', /(<circle [^>]*\/>){3}/],
  ] as const)('draws a %s series in a shape of its own, in the plot and in the legend', (style, shape) => {
    const svg = lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', series: [{ name: 'p99', style, points: [[0, 1], [1, 2], [2, 3]] }] });
    const group = /<g class="series" data-series="p99" data-points="3">(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    expect(group).toMatch(shape);
  });

  it.each([
    [false, [[0, 1.3], [1, 2.9]], ['0', '0.5', '1', '1.5', '2', '2.5', '3']],
    [true, [[0, 1], [1, 3]], ['0', '1', '2', '3']],
  ] as const)('labels counts with whole numbers only when told they are counts (integer %s)', (integerY, points, labels) => {
    const svg = lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', integerY, series: [series('a', points.map(([x, y]) => [x, y]))] });
    const yLabels = [...svg.matchAll(/<text x="\d+" y="[\d.]+" text-anchor="end" class="tick">([^<]+)</g)].map((m) => m[1]);
    expect(yLabels).toEqual(labels);
  });
});
