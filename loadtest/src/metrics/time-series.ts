import { LatencyHistogram } from './latency-histogram.js';

/** One endpoint during one time slice. */
export interface SlicePoint {
  completed: number;
  failed: number;
  offered: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface Slice {
  /** Seconds from the start of the run to the start of this slice. */
  startSeconds: number;
  seconds: number;
  endpoints: Record<string, SlicePoint>;
}

/**
 * Per-slice latency percentiles. Each endpoint keeps one small histogram that is summarised and reset
 * when the slice closes, so memory does not grow with the length of a soak test.
 */
export class TimeSeries {
  private readonly current: { histogram: LatencyHistogram; failed: number; offered: number }[];
  private sliceStartMs: number;
  readonly slices: Slice[] = [];

  constructor(
    private readonly endpointNames: string[],
    private readonly sliceMs: number,
    private readonly runStartMs: number,
  ) {
    this.current = endpointNames.map(() => ({ histogram: new LatencyHistogram(2), failed: 0, offered: 0 }));
    this.sliceStartMs = runStartMs;
  }

  offered(endpoint: number): void {
    this.current[endpoint]!.offered++;
  }

  completed(endpoint: number, latencyMs: number, ok: boolean): void {
    const slot = this.current[endpoint]!;
    slot.histogram.record(latencyMs);
    if (!ok) slot.failed++;
  }

  /** Closes every slice that has ended by `nowMs`. */
  advance(nowMs: number): void {
    while (nowMs - this.sliceStartMs >= this.sliceMs) this.close(this.sliceStartMs + this.sliceMs);
  }

  /** Closes the last, possibly partial, slice at the end of the run. */
  finish(nowMs: number): void {
    this.advance(nowMs);
    if (nowMs > this.sliceStartMs) this.close(nowMs);
  }

  private close(endMs: number): void {
    const endpoints: Record<string, SlicePoint> = {};
    this.endpointNames.forEach((name, i) => {
      const slot = this.current[i]!;
      const s = slot.histogram.summary();
      endpoints[name] = { completed: s.count, failed: slot.failed, offered: slot.offered, p50: s.p50, p90: s.p90, p99: s.p99, max: s.max };
      slot.histogram.reset();
      slot.failed = 0;
      slot.offered = 0;
    });
    this.slices.push({
      startSeconds: (this.sliceStartMs - this.runStartMs) / 1_000,
      seconds: (endMs - this.sliceStartMs) / 1_000,
      endpoints,
    });
    this.sliceStartMs = endMs;
  }
}
