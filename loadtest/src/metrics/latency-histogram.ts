import * as hdr from 'hdr-histogram-js';

/** Latencies are recorded in microseconds so sub-millisecond local responses keep their resolution. */
const MICROS_PER_MS = 1_000;

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export const PERCENTILES = [50, 90, 99, 99.9] as const;

/** An HDR histogram of latencies in milliseconds (3 significant digits unless told otherwise). */
export class LatencyHistogram {
  private readonly histogram: hdr.Histogram;

  constructor(significantDigits: 1 | 2 | 3 = 3) {
    this.histogram = hdr.build({
      bitBucketSize: 32,
      autoResize: true,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: significantDigits,
    });
  }

  record(latencyMs: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(latencyMs * MICROS_PER_MS)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentileMs(percentile: number): number {
    // HDR answers the top of the value's bucket, which can lie above the largest value recorded (p99.9 705 > max 704.9).
    return Math.min(this.histogram.getValueAtPercentile(percentile), this.histogram.maxValue) / MICROS_PER_MS;
  }

  summary(): LatencySummary {
    const h = this.histogram;
    if (h.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
    return {
      count: h.totalCount,
      p50: this.percentileMs(50),
      p90: this.percentileMs(90),
      p99: this.percentileMs(99),
      p999: this.percentileMs(99.9),
      max: h.maxValue / MICROS_PER_MS,
      mean: h.mean / MICROS_PER_MS,
    };
  }

  /**
   * Latency at percentiles spaced evenly on HdrHistogram's usual 1/(1-p) axis (50%, 75%, 87.5% … 99.9999%),
   * for the latency distribution plot.
   */
  percentileSpectrum(): { percentile: number; latencyMs: number }[] {
    if (this.histogram.totalCount === 0) return [];
    const out: { percentile: number; latencyMs: number }[] = [{ percentile: 0, latencyMs: this.percentileMs(0) }];
    for (let halvings = 1; halvings <= 20; halvings++) {
      const percentile = 100 * (1 - 0.5 ** halvings);
      out.push({ percentile, latencyMs: this.percentileMs(percentile) });
    }
    out.push({ percentile: 100, latencyMs: this.percentileMs(100) });
    return out;
  }

  reset(): void {
    this.histogram.reset();
  }

  /** The histogram in HdrHistogram's compressed base64 form, for re-analysis with standard tools. */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram);
  }
}
