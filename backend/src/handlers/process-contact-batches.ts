import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processContactBatches, type ProcessContactBatchDeps } from '../application/process-contact-batch.js';
import type { ServicesOf } from '../composition/backend-services.js';
import { recordBatchOutcome } from './contact-batch-metrics.js';
import { withinInvocation } from './invocation-scope.js';

/**
 * The queue consumer (SQS event source in AWS, the in-process poller locally). Failed records
 * are reported as partial batch failures and come back after the visibility timeout; on the
 * last attempt a failing record is dead-lettered with its error instead.
 */
export function makeProcessContactBatches(s: ServicesOf<'cipher' | 'contacts' | 'devices' | 'ledger' | 'metrics' | 'outbox' | 'queue' | 'rateLimits'>): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const deps: ProcessContactBatchDeps = {
    cipher: s.cipher,
    contacts: s.contacts,
    queue: s.queue,
    devices: s.devices,
    ledger: s.ledger,
    outbox: s.outbox,
    rules: s.config.sightingRules,
    policy: s.config.exposurePolicy,
    maxAttempts: s.config.queue.maxReceives,
    counters: s.rateLimits,
    clock: s.clock,
  };
  const logger = s.logger.createChild();
  return (event, context) => withinInvocation(context, async () => {
    logger.addContext(context);
    const records = event.Records.map((r) => ({ id: r.messageId, body: r.body, receiveCount: Number(r.attributes.ApproximateReceiveCount) || 1 }));
    const outcomes = await processContactBatches(deps, records);
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) recordBatchOutcome(s.metrics, record, outcomes.get(record.messageId)!, s.clock);
    s.metrics.flush();
    for (const [messageId, outcome] of outcomes) {
      if (outcome.status === 'failed') {
        batchItemFailures.push({ itemIdentifier: messageId });
        logger.warn('contact batch failed; it is retried', { messageId, error: outcome.error as Error });
      } else if (outcome.status === 'dead-lettered') {
        logger.warn('contact batch dead-lettered', { messageId, reason: outcome.reason });
      } else {
        logger.debug('contact batch processed', { messageId, ...outcome });
      }
    }
    return { batchItemFailures };
  });
}
