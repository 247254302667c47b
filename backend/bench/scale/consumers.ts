import type { EmbeddedServices } from '../../src/composition/embedded.js';
import { makeProcessContactBatches } from '../../src/handlers/process-contact-batches.js';
import { makeTraceExposures } from '../../src/handlers/trace-exposures.js';
import { OutboxPoller } from '../../src/local/outbox-poller.js';
import { QueuePoller } from '../../src/local/queue-poller.js';

/** The embedded stack's two pollers on the bench's connection, with the handlers npm start runs, polled by hand. */
export interface Consumers {
  /** Processes the contact queue until it is empty; returns how many messages. */
  drainQueue(): Promise<number>;
  /** Runs one poll of the tracing outbox; returns how many tasks. */
  traceOnce(): Promise<number>;
  /** Runs the tracing outbox until it is empty; returns how many tasks. */
  drainOutbox(): Promise<number>;
}

export function consumersOf(services: EmbeddedServices): Consumers {
  const { config, logger } = services;
  const queue = new QueuePoller({ queue: services.embeddedQueue, handler: makeProcessContactBatches(services), batchSize: config.queue.pollBatchSize, idleDelayMs: config.queue.pollIntervalMs, logger });
  const tracer = new OutboxPoller({ outbox: services.embeddedOutbox, handler: makeTraceExposures(services), batchSize: config.queue.pollBatchSize, idleDelayMs: config.queue.pollIntervalMs, logger });
  return {
    drainQueue: async () => {
      let total = 0;
      for (let n = await queue.pollOnce(); n > 0; n = await queue.pollOnce()) total += n;
      return total;
    },
    traceOnce: () => tracer.pollOnce(),
    drainOutbox: () => tracer.drain(),
  };
}

/** fn(0) … fn(count - 1), at most `concurrency` at a time (as many uploads in flight as HTTP connections). */
export async function forEachConcurrently(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
