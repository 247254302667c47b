import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { processContactBatch, refreshExposures, type ProcessContactBatchDeps } from '../application/process-contact-batch.js';
import type { BackendServices } from '../composition/backend-services.js';
import { recordBatchOutcome } from './contact-batch-metrics.js';

/**
 * The queue consumer (SQS event source in AWS, the in-process poller locally). Failed records
 * are reported as partial batch failures and come back after the visibility timeout; on the
 * last attempt a failing record is dead-lettered with its error instead.
 */
export function makeProcessContactBatches(s: BackendServices): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const deps: ProcessContactBatchDeps = {
    cipher: s.cipher,
    contacts: s.contacts,
    queue: s.queue,
    index: s.exposureIndex,
    tracer: s.tracer,
    tokenGraceMs: s.config.tokenGraceMs,
    lookbackMs: s.config.exposurePolicy.lookbackMs,
    maxAttempts: s.config.queue.maxReceives,
  };
  const processor = new BatchProcessor(EventType.SQS);

  const processRecord = async (record: SQSRecord) => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
    const outcome = await processContactBatch(deps, record.body, receiveCount);
    recordBatchOutcome(s.metrics, record, outcome, s.clock);
    if (outcome.status === 'dead-lettered') s.logger.warn('contact batch dead-lettered', { messageId: record.messageId, reason: outcome.reason });
    else s.logger.debug('contact batch processed', { messageId: record.messageId, ...outcome });
  };

  return async (event, context) => {
    s.logger.addContext(context);
    const spread = await refreshExposures(deps);
    if (spread > 0) s.logger.info('notified contacts of newly seen exposures', { notified: spread });
    if (spread > 0) s.metrics.count('NotificationsSent', spread);
    try {
      // A batch that failed whole is reported record by record, like any partial failure.
      return await processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
    } finally {
      s.metrics.flush();
    }
  };
}
