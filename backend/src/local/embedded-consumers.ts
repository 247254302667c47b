import type { Logger } from '@aws-lambda-powertools/logger';
import type { BackendConfig } from '../config/backend-config.js';
import type { BackendServices } from '../composition/backend-services.js';
import type { EmbeddedServices } from '../composition/embedded.js';
import { makeRunAnalytics } from '../handlers/analytics-handlers.js';
import { makePurgeExpiredData } from '../handlers/operations-handlers.js';
import { makeProcessContactBatches } from '../handlers/process-contact-batches.js';
import { makeTraceExposures } from '../handlers/trace-exposures.js';
import { OutboxPoller } from './outbox-poller.js';
import { QueuePoller } from './queue-poller.js';

/** What runs beside the HTTP server: started once it listens, stopped after it closed. */
export interface BackgroundWork {
  start(): void;
  stop(): Promise<void>;
}

/** The retention purge every PURGE_INTERVAL_MINUTES (a scheduled Lambda in AWS). */
export function purgeTimer(services: BackendServices, config: BackendConfig, logger: Logger): BackgroundWork {
  const purge = makePurgeExpiredData(services);
  let timer: NodeJS.Timeout | undefined;
  return {
    start: () => {
      timer = setInterval(() => {
        purge().catch((error: unknown) => logger.error('retention purge failed', { error: error as Error }));
      }, config.purgeIntervalMs);
      timer.unref();
    },
    stop: async () => clearInterval(timer),
  };
}

/** The analytics job every ANALYTICS_INTERVAL_MINUTES (EventBridge's schedule in AWS); a run still going is not started twice. */
export function analyticsTimer(services: BackendServices, config: BackendConfig, logger: Logger): BackgroundWork {
  const run = makeRunAnalytics(services);
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> | undefined;
  return {
    start: () => {
      timer = setInterval(() => {
        current ??= run()
          .catch((error: unknown) => logger.error('analytics run failed', { error: error as Error }))
          .finally(() => (current = undefined));
      }, config.analytics.intervalMs);
      timer.unref();
    },
    stop: async () => {
      clearInterval(timer);
      await current;
    },
  };
}

/**
 * The embedded stack's background work on one SQLite connection: the contact queue's poller, the
 * tracing outbox's poller, the retention purge and the analytics job, started and stopped together. It runs in the
 * consumer thread (consumer-thread.ts), or with EMBEDDED_CONSUMER=inline in the HTTP server's.
 */
export function embeddedConsumers(services: EmbeddedServices, config: BackendConfig, logger: Logger): BackgroundWork {
  const work: (BackgroundWork | QueuePoller | OutboxPoller)[] = [
    new QueuePoller({
      queue: services.embeddedQueue,
      handler: makeProcessContactBatches(services),
      batchSize: config.queue.pollBatchSize,
      idleDelayMs: config.queue.pollIntervalMs,
      logger,
    }),
    new OutboxPoller({
      outbox: services.embeddedOutbox,
      handler: makeTraceExposures(services),
      batchSize: config.queue.pollBatchSize,
      idleDelayMs: config.queue.pollIntervalMs,
      logger,
    }),
    purgeTimer(services, config, logger),
    analyticsTimer(services, config, logger),
  ];
  return {
    start: () => work.forEach((w) => w.start()),
    stop: async () => {
      await Promise.all(work.map((w) => w.stop()));
    },
  };
}
