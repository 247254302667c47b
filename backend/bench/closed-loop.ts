import * as hdr from 'hdr-histogram-js';
import { Pool } from 'undici';

export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  ratePerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

export interface ClosedLoopOptions {
  pool: Pool;
  connections: number;
  durationMs: number;
  /** Builds the next request; `i` counts requests across all connections. */
  next: (i: number) => { path: string; body: string; headers: Record<string, string> };
  expectStatus: number;
  onProgress?: (done: number) => void;
  onSuccess?: (i: number, body: string) => void;
}

/**
 * A closed set of simulated devices: each connection sends its next request as soon as the
 * previous one is answered, for a fixed time. (The loadtest tool does open-loop load; this is
 * the benchmark's measure of capacity.)
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const statuses: Record<string, number> = {};
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const connection = async () => {
    while (performance.now() < deadline) {
      const i = issued++;
      const { path, body, headers } = options.next(i);
      const sent = performance.now();
      try {
        const response = await options.pool.request({ method: 'POST', path, body, headers });
        const text = await response.body.text();
        histogram.recordValue(Math.round((performance.now() - sent) * 1000));
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        if (response.statusCode === options.expectStatus) options.onSuccess?.(i, text);
        else errors++;
      } catch {
        errors++;
        statuses.network = (statuses.network ?? 0) + 1;
      }
      options.onProgress?.(issued);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  const seconds = (performance.now() - started) / 1000;
  const requests = histogram.totalCount;
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    requests,
    errors,
    statuses,
    seconds,
    ratePerSecond: requests / seconds,
    latencyMs: {
      p50: ms(histogram.getValueAtPercentile(50)),
      p90: ms(histogram.getValueAtPercentile(90)),
      p99: ms(histogram.getValueAtPercentile(99)),
      max: ms(histogram.maxValue),
    },
  };
}
