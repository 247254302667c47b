/**
 * Operational metrics the handlers record (CloudWatch EMF in Lambda, through Powertools). Names are
 * fixed here so that infra's alarms and dashboard, which read them, cannot drift from the code.
 */
export const COUNT_METRICS = [
  'HttpRequests',
  'HttpClientErrors',
  'HttpServerErrors',
  'ContactBatches',
  'ContactBatchesDuplicate',
  'Observations',
  'ContactsStored',
  'ObservationsDropped',
  'BatchesDeadLettered',
  'NotificationsSent',
] as const;

export const DURATION_METRICS = ['HttpLatency', 'UploadToStored', 'TimeToNotify'] as const;

export type CountMetric = (typeof COUNT_METRICS)[number];
export type DurationMetric = (typeof DURATION_METRICS)[number];
export type MetricDimensions = Readonly<Record<string, string>>;

export interface BackendMetrics {
  count(name: CountMetric, value?: number, dimensions?: MetricDimensions): void;
  /** Milliseconds. */
  duration(name: DurationMetric, ms: number, dimensions?: MetricDimensions): void;
  /** Writes what was recorded; the end of every invocation calls it. */
  flush(): void;
}

/** For processes that publish no metrics (the local stacks, unless a namespace is configured). */
export const NO_METRICS: BackendMetrics = { count: () => {}, duration: () => {}, flush: () => {} };
