import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, type Series } from '../../../loadtest/src/report/svg-chart.js';

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
      expect(x).toBeGreaterThanOrEqual(64);
      expect(x).toBeLessThanOrEqual(760 - 170);
      expect(y).toBeGreaterThanOrEqual(32);
      expect(y).toBeLessThanOrEqual(300 - 44);
    }
  });
});
