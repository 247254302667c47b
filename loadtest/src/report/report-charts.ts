import type { EndpointResult } from '../metrics/endpoint-stats.js';
import type { LoadResult } from './load-result.js';
import { lineChart, type Series } from './svg-chart.js';

/** "POST /v1/admin/verification-codes" → "verification-codes": legends stay narrow. */
const shortName = (endpoint: string) => endpoint.slice(endpoint.lastIndexOf('/') + 1);

/** p50 to max: darkening blues, each with its own line shape, and max as dots (it often sits on p99 in thin slices). */
const PERCENTILE_STYLE = {
  p50: { color: '#9ecae1', style: 'solid' },
  p90: { color: '#4292c6', style: 'solid' },
  p99: { color: '#08306b', style: 'dashed' },
  max: { color: '#d62728', style: 'points' },
} as const satisfies Record<string, Pick<Series, 'color' | 'style'>>;

export function throughputChart(r: LoadResult): string {
  // A short trailing slice (requests finishing after the load stopped) would show as a misleading spike.
  const sliceSeconds = Math.max(...r.timeSeries.map((s) => s.seconds));
  const slices = r.timeSeries.filter((s) => s.seconds >= sliceSeconds / 2);
  const series: Series[] = r.endpoints.map((e) => ({
    name: shortName(e.name),
    points: slices.map((s) => {
      const p = s.endpoints[e.name];
      return [s.startSeconds, p && s.seconds > 0 ? (p.completed - p.failed) / s.seconds : 0];
    }),
  }));
  const total = (pick: (p: { completed: number; failed: number; offered: number }) => number) =>
    slices.map((s): [number, number] => [s.startSeconds, Object.values(s.endpoints).reduce((a, p) => a + pick(p), 0) / s.seconds]);
  series.push({ name: 'achieved (all)', color: '#111', points: total((p) => p.completed - p.failed) });
  series.push({ name: 'offered (all)', color: '#111', style: 'dashed', points: total((p) => p.offered) });
  return `<h2>Throughput over time</h2>${lineChart({ title: 'Successful responses per second', xLabel: 'seconds since start', yLabel: 'req/s', series })}`;
}

export function latencyOverTime(r: LoadResult, endpoint: string): string {
  const slices = r.timeSeries.filter((s) => (s.endpoints[endpoint]?.completed ?? 0) > 0);
  const series = (['p50', 'p90', 'p99', 'max'] as const).map(
    (key): Series => ({ name: key, ...PERCENTILE_STYLE[key], points: slices.map((s) => [s.startSeconds, s.endpoints[endpoint]![key]]) }),
  );
  return lineChart({ title: `Latency over time — ${endpoint}`, xLabel: 'seconds since start', yLabel: 'ms (log)', logY: true, series });
}

export function distributionChart(endpoints: EndpointResult[]): string {
  // HdrHistogram's customary axis: x = number of nines, so 90% → 1, 99% → 2, 99.9% → 3.
  const nines = (p: number) => (p >= 100 ? 6 : -Math.log10(1 - p / 100));
  const series = endpoints.map((e) => ({ name: shortName(e.name), points: e.latencySpectrum.map((s): [number, number] => [nines(s.percentile), s.latencyMs]) }));
  const xTicks = ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%', 'max'].map((label, i) => ({ value: i, label }));
  return `<h2>Latency distribution</h2>${lineChart({ title: 'Latency by percentile', xLabel: 'percentile', yLabel: 'ms (log)', logY: true, series, xTicks })}`;
}

/** Messages are counted, ages measured: two charts, so the counts get whole-number ticks. */
export function queueCharts(samples: LoadResult['server']['samples']): string {
  const counts = lineChart({
    title: 'Queue: messages waiting and in flight',
    xLabel: 'seconds since start',
    yLabel: 'messages',
    integerY: true,
    series: [
      { name: 'backlog', points: samples.map((q) => [q.seconds, q.backlog]) },
      { name: 'in flight', style: 'dashed', points: samples.map((q) => [q.seconds, q.inFlight]) },
    ],
  });
  const age = lineChart({
    title: 'Queue: age of the oldest message',
    xLabel: 'seconds since start',
    yLabel: 'seconds',
    series: [{ name: 'oldest age', points: samples.map((q) => [q.seconds, q.oldestAgeSeconds]) }],
  });
  return counts + age;
}
