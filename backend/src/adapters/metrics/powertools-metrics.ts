import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BackendMetrics, CountMetric, DurationMetric, MetricDimensions } from '../../ports/metrics.js';

interface Recorded {
  name: string;
  unit: (typeof MetricUnit)[keyof typeof MetricUnit];
  value: number;
  dimensions: MetricDimensions;
}

/**
 * BackendMetrics as CloudWatch embedded metric format through Powertools Metrics: one EMF line per
 * dimension set at each flush (Powertools applies dimensions to a whole flush, so metrics that carry
 * their own, such as the HTTP route, are grouped first). Namespace and service come from
 * POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME unless given.
 */
export class PowertoolsMetrics implements BackendMetrics {
  private recorded: Recorded[] = [];

  constructor(private readonly metrics: Metrics = new Metrics()) {}

  count(name: CountMetric, value = 1, dimensions: MetricDimensions = {}): void {
    this.recorded.push({ name, unit: MetricUnit.Count, value, dimensions });
  }

  duration(name: DurationMetric, ms: number, dimensions: MetricDimensions = {}): void {
    this.recorded.push({ name, unit: MetricUnit.Milliseconds, value: ms, dimensions });
  }

  flush(): void {
    const groups = new Map<string, Recorded[]>();
    for (const metric of this.recorded) {
      const key = JSON.stringify(Object.entries(metric.dimensions).sort());
      groups.set(key, [...(groups.get(key) ?? []), metric]);
    }
    this.recorded = [];
    for (const group of groups.values()) {
      this.metrics.addDimensions({ ...group[0]!.dimensions });
      for (const m of group) this.metrics.addMetric(m.name, m.unit, m.value);
      this.metrics.publishStoredMetrics();
    }
  }
}
