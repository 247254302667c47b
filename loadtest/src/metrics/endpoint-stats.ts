import { LatencyHistogram, type LatencySummary } from './latency-histogram.js';

/** Everything counted for one endpoint over the whole run. */
export class EndpointStats {
  offered = 0;
  dropped = 0;
  abandoned = 0;
  late = 0;
  completed = 0;
  /** Completed with a 2xx status. */
  succeeded = 0;
  readonly latency = new LatencyHistogram();
  readonly statusCodes = new Map<number, number>();
  readonly errors = new Map<string, number>();

  constructor(readonly name: string) {}

  recordCompletion(latencyMs: number, status: number, error: string | undefined): void {
    this.completed++;
    this.latency.record(latencyMs);
    if (status >= 200 && status < 300) this.succeeded++;
    if (status > 0) this.statusCodes.set(status, (this.statusCodes.get(status) ?? 0) + 1);
    if (error !== undefined) this.errors.set(error, (this.errors.get(error) ?? 0) + 1);
  }

  get failed(): number {
    return this.completed - this.succeeded;
  }

  toJSON(elapsedSeconds: number): EndpointResult {
    return {
      name: this.name,
      offered: this.offered,
      sent: this.offered - this.dropped - this.abandoned,
      completed: this.completed,
      succeeded: this.succeeded,
      failed: this.failed,
      dropped: this.dropped,
      abandoned: this.abandoned,
      late: this.late,
      offeredRate: elapsedSeconds > 0 ? this.offered / elapsedSeconds : 0,
      achievedRate: elapsedSeconds > 0 ? this.succeeded / elapsedSeconds : 0,
      latencyMs: this.latency.summary(),
      latencySpectrum: this.latency.percentileSpectrum(),
      latencyHistogramBase64: this.latency.encode(),
      statusCodes: Object.fromEntries([...this.statusCodes].sort(([a], [b]) => a - b)),
      errors: Object.fromEntries(this.errors),
    };
  }
}

export interface EndpointResult {
  name: string;
  offered: number;
  sent: number;
  completed: number;
  succeeded: number;
  failed: number;
  /** Never sent: the backlog was full. */
  dropped: number;
  /** Never sent: still waiting for a slot when the run ended. */
  abandoned: number;
  late: number;
  /** Requests per second the schedule asked for. */
  offeredRate: number;
  /** Successful (2xx) responses per second. */
  achievedRate: number;
  latencyMs: LatencySummary;
  latencySpectrum: { percentile: number; latencyMs: number }[];
  latencyHistogramBase64: string;
  statusCodes: Record<string, number>;
  errors: Record<string, number>;
}
