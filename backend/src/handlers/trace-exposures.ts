import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { traceExposures, type TaskOutcome } from '../application/trace-exposures.js';
import type { TracingTask } from '../ports/tracing-outbox.js';
import { taskFromJson } from '../ports/tracing-task-json.js';
import type { ServicesOf } from '../composition/backend-services.js';
import { withinInvocation } from './invocation-scope.js';

/**
 * The tracer: fed by the tracing outbox's stream (DynamoDB Streams in AWS, the embedded outbox
 * poller locally), one record per task inserted. A task that fails is counted on the outbox and
 * reported as a partial batch failure to be retried; once its attempts are used up it is
 * dead-lettered with the error, and the stream moves on.
 */
export function makeTraceExposures(s: ServicesOf<'channel' | 'contacts' | 'ledger' | 'metrics' | 'outbox' | 'tokenFlags'>): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  const deps = { contacts: s.contacts, ledger: s.ledger, channel: s.channel, tokenFlags: s.tokenFlags, policy: s.config.exposurePolicy, clock: s.clock };
  const logger = s.logger.createChild();
  return (event, context) => withinInvocation(context, async () => {
    logger.addContext(context);
    const inserted = event.Records.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage);
    const items = inserted.map((r) => unmarshall(r.dynamodb!.NewImage as Record<string, AttributeValue>) as { key: string; task: string });
    const tasks = items.map((item) => taskFromJson(item.task));
    const outcomes = await traceExposures(deps, tasks);
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    let added = 0;
    await s.outbox.done(items.filter((_, i) => outcomes[i]!.ok).map((item) => item.key));
    recordDeliveries(s, tasks, outcomes);
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.ok) {
        added += outcome.added;
        continue;
      }
      const { key } = items[i]!;
      const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      const verdict = await s.outbox.failed(key, reason);
      logger.warn(verdict === 'retry' ? 'tracing task failed; it is retried' : 'tracing task dead-lettered', { key, reason });
      if (verdict === 'retry') batchItemFailures.push({ itemIdentifier: inserted[i]!.dynamodb!.SequenceNumber! });
    }
    if (added > 0) logger.debug('tracing tasks done', { tasks: items.length, statesAdded: added });
    return { batchItemFailures };
  });
}

/**
 * NotificationsSent: warnings delivered (issued or raised). TimeToNotify: from the infection report
 * to the delivery of a warning it caused, for the warnings whose chain carried the report time (every
 * warning a report's spread reaches; not those found later from a late upload, which start from the
 * upload instead and are measured by UploadToStored). A delivery retried after a failure counts once
 * more, with its later time.
 */
function recordDeliveries(s: ServicesOf<'metrics'>, tasks: readonly TracingTask[], outcomes: readonly TaskOutcome[]): void {
  const now = s.clock().getTime();
  for (const [i, task] of tasks.entries()) {
    if (task.kind !== 'deliver' || !outcomes[i]!.ok) continue;
    s.metrics.count('NotificationsSent');
    const reportedAt = task.event.caseReportedAt;
    if (reportedAt !== undefined) s.metrics.duration('TimeToNotify', Math.max(0, now - reportedAt));
  }
  s.metrics.flush();
}
