import type { SQSRecord } from 'aws-lambda';
import type { Clock } from '../application/clock.js';
import type { BatchOutcome } from '../application/process-contact-batch.js';
import type { BackendMetrics } from '../ports/metrics.js';

/**
 * The consumer's metrics for one queued batch: batches, observations, contacts stored, observations
 * dropped by reason, dead letters, and the time from upload (the message's SentTimestamp, i.e. the
 * 202) to stored. A batch that failed and is retried counts again when it comes back.
 */
export function recordBatchOutcome(metrics: BackendMetrics, record: SQSRecord, outcome: BatchOutcome, clock: Clock): void {
  metrics.count('ContactBatches');
  const sinceUpload = clock().getTime() - Number(record.attributes.SentTimestamp);
  switch (outcome.status) {
    case 'failed':
      return;
    case 'dead-lettered':
      metrics.count('BatchesDeadLettered');
      return;
    case 'duplicate':
      metrics.count('ContactBatchesDuplicate');
      return;
    case 'stored':
      metrics.count('Observations', observationCount(record.body));
      metrics.count('ContactsStored', outcome.contacts);
      for (const [reason, count] of Object.entries(outcome.dropped)) if (count > 0) metrics.count('ObservationsDropped', count, { reason });
      if (Number.isFinite(sinceUpload)) metrics.duration('UploadToStored', sinceUpload);
  }
}

function observationCount(body: string): number {
  const message = JSON.parse(body) as { batch?: { observations?: unknown[] } };
  return message.batch?.observations?.length ?? 0;
}
