import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../loadtest/src/metrics/latency-histogram.js';
import { TimeSeries } from '../../../loadtest/src/metrics/time-series.js';
import { EndpointStats } from '../../../loadtest/src/metrics/endpoint-stats.js';

describe('Class: LatencyHistogram', () => {
  const uniform = (n: number, maxMs: number) => Array.from({ length: n }, (_, i) => ((i + 1) * maxMs) / n);

  it.each([
    [50, 'p50'],
    [90, 'p90'],
    [99, 'p99'],
    [99.9, 'p999'],
  ] as const)('p%s of 1..10000 ms matches the exact percentile within HDR precision', (percentile, key) => {
    const h = new LatencyHistogram();
    const values = uniform(10_000, 10_000);
    values.forEach((v) => h.record(v));
    const exact = values[Math.ceil((percentile / 100) * values.length) - 1]!;
    expect(Math.abs(h.summary()[key] - exact) / exact).toBeLessThan(0.001);
  });

  it.each([1, 2, 3] as const)('never puts a percentile above the max (%s significant digits: HDR answers a bucket\'s top)', (digits) => {
    const h = new LatencyHistogram(digits);
    for (let i = 0; i < 10; i++) h.record(1);
    h.record(704.9);
    const s = h.summary();
    expect(s.max).toBeCloseTo(704.9, 3);
    expect([s.p50, s.p90, s.p99, s.p999].every((p) => p <= s.max)).toBe(true);
    expect(h.percentileSpectrum().every((p) => p.latencyMs <= s.max)).toBe(true);
  });

  it.each([0.05, 0.25, 1.5])('keeps sub-millisecond resolution for %s ms', (ms) => {
    const h = new LatencyHistogram();
    h.record(ms);
    expect(h.summary().max).toBeCloseTo(ms, 2);
  });

  it('reports an empty summary before anything is recorded, and the spectrum is monotonic after', () => {
    const h = new LatencyHistogram();
    expect(h.summary().count).toBe(0);
    uniform(1_000, 500).forEach((v) => h.record(v));
    const spectrum = h.percentileSpectrum().map((p) => p.latencyMs);
    expect(spectrum.every((v, i) => i === 0 || v >= spectrum[i - 1]!)).toBe(true);
    expect(spectrum.at(-1)).toBeCloseTo(500, 0);
  });
});

describe('Class: EndpointStats', () => {
  it('separates successes, status codes and error kinds', () => {
    const stats = new EndpointStats('contacts');
    const outcomes: [number, string | undefined][] = [[202, undefined], [202, undefined], [503, 'http_503'], [0, 'ECONNRESET']];
    outcomes.forEach(([status, error]) => stats.recordCompletion(10, status, error));
    stats.offered = outcomes.length;
    const json = stats.toJSON(2);
    expect(json.succeeded).toBe(2);
    expect(json.failed).toBe(2);
    expect(json.statusCodes).toEqual({ 202: 2, 503: 1 });
    expect(json.errors).toEqual({ http_503: 1, ECONNRESET: 1 });
    expect(json.achievedRate).toBe(1);
    expect(json.offeredRate).toBe(2);
  });
});

describe('Class: TimeSeries', () => {
  it.each([
    [1_000, 3_500, 4],
    [500, 2_000, 4],
    [2_000, 1_000, 1],
  ])('with %i ms slices, a run of %i ms yields %i slices whose counts add up', (sliceMs, runMs, expectedSlices) => {
    const series = new TimeSeries(['a', 'b'], sliceMs, 0);
    let recorded = 0;
    for (let t = 0; t < runMs; t += 10) {
      series.advance(t);
      series.completed(t % 20 === 0 ? 0 : 1, 5, true);
      recorded++;
    }
    series.finish(runMs);
    expect(series.slices).toHaveLength(expectedSlices);
    const total = series.slices.reduce((sum, s) => sum + s.endpoints.a!.completed + s.endpoints.b!.completed, 0);
    expect(total).toBe(recorded);
  });
});
