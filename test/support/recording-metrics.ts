import type { BackendMetrics, CountMetric, DurationMetric, MetricDimensions } from '../../backend/src/ports/metrics.js';

/** Keeps what handlers record, as flushed, for assertions (the Powertools adapter has its own EMF test). */
export class RecordingMetrics implements BackendMetrics {
  pending: { name: CountMetric | DurationMetric; value: number; dimensions: MetricDimensions }[] = [];
  flushed: (typeof this.pending)[] = [];

  count(name: CountMetric, value = 1, dimensions: MetricDimensions = {}): void {
    this.pending.push({ name, value, dimensions });
  }

  duration(name: DurationMetric, ms: number, dimensions: MetricDimensions = {}): void {
    this.pending.push({ name, value: ms, dimensions });
  }

  flush(): void {
    this.flushed.push(this.pending);
    this.pending = [];
  }

  /** The sum of a metric over every flush, optionally for one dimension value. */
  total(name: CountMetric | DurationMetric, dimensions: MetricDimensions = {}): number {
    return this.flushed
      .flat()
      .filter((m) => m.name === name && Object.entries(dimensions).every(([k, v]) => m.dimensions[k] === v))
      .reduce((sum, m) => sum + m.value, 0);
  }
}
