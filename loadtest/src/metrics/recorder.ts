import type { DispatchObserver } from '../scheduler/dispatcher.js';
import { EndpointStats } from './endpoint-stats.js';
import { TimeSeries } from './time-series.js';

/** Collects per-endpoint totals, per-slice percentiles and a live window for progress output. */
export class Recorder implements DispatchObserver {
  readonly endpoints: EndpointStats[];
  readonly series: TimeSeries;

  constructor(readonly endpointNames: string[], sliceMs: number, runStartMs: number) {
    this.endpoints = endpointNames.map((n) => new EndpointStats(n));
    this.series = new TimeSeries(endpointNames, sliceMs, runStartMs);
  }

  indexOf(name: string): number {
    const i = this.endpointNames.indexOf(name);
    if (i < 0) throw new Error(`unknown endpoint ${name}`);
    return i;
  }

  offered(endpoint: number): void {
    this.endpoints[endpoint]!.offered++;
    this.series.offered(endpoint);
  }

  dropped(endpoint: number): void {
    this.endpoints[endpoint]!.dropped++;
  }

  abandoned(endpoint: number): void {
    this.endpoints[endpoint]!.abandoned++;
  }

  late(endpoint: number): void {
    this.endpoints[endpoint]!.late++;
  }

  completed(endpoint: number, latencyMs: number, status: number, error: string | undefined): void {
    this.endpoints[endpoint]!.recordCompletion(latencyMs, status, error);
    this.series.completed(endpoint, latencyMs, status >= 200 && status < 300);
  }

  /**
   * The live "p99 so far": that of the slowest endpoint, an upper bound of the p99 over all requests
   * (no percentile of a mixture exceeds its largest part's), read from the per-endpoint histograms so
   * that no request is recorded a third time on the hot path.
   */
  slowestP99Ms(): number {
    let slowest = 0;
    for (const e of this.endpoints) if (e.latency.count > 0) slowest = Math.max(slowest, e.latency.percentileMs(99));
    return slowest;
  }

  totals(): { offered: number; completed: number; failed: number; dropped: number; abandoned: number } {
    let offered = 0, completed = 0, failed = 0, dropped = 0, abandoned = 0;
    for (const e of this.endpoints) {
      offered += e.offered;
      completed += e.completed;
      failed += e.failed;
      dropped += e.dropped;
      abandoned += e.abandoned;
    }
    return { offered, completed, failed, dropped, abandoned };
  }
}
