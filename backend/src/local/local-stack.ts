import type { AddressInfo } from 'node:net';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../application/clock.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { BackendServices } from '../composition/backend-services.js';
import { createEmbeddedServices, type EmbeddedServices } from '../composition/embedded.js';
import { makePurgeExpiredData } from '../handlers/operations-handlers.js';
import { makeProcessContactBatches } from '../handlers/process-contact-batches.js';
import { makeTraceExposures } from '../handlers/trace-exposures.js';
import { buildRouteTable } from '../handlers/routes.js';
import { lockDataDir } from './data-dir-lock.js';
import { createLocalHttpServer } from './local-http-server.js';
import { OutboxPoller } from './outbox-poller.js';
import { QueuePoller } from './queue-poller.js';

export interface LocalStack {
  url: string;
  services: BackendServices;
  stop(): Promise<void>;
}

/** What feeds the consumer handler: the SQLite poller, or SQS polling as Lambda's event source does. */
export interface QueueConsumer {
  start(): void;
  stop(): Promise<void>;
}

/** The clocks of a stack; the wall clock unless a simulation (`npm run demo`) moves time itself. */
export interface StackClocks {
  /** What the data's times come from: tokens, contacts, cases, warnings, retention. */
  clock?: Clock;
  /**
   * What an external identity provider's tokens are checked against (BACKEND=aws: Cognito stamps
   * them with its own, the wall clock). The embedded provider issues its tokens on `clock`.
   */
  identityClock?: Clock;
}

/**
 * The backend, running in one process: HTTP server, queue consumer and retention timer, on the
 * adapters BACKEND chooses (the embedded SQLite file, or the AWS services). The same handlers
 * either way.
 */
export async function startLocalStack(config: BackendConfig, logger: Logger, clocks: StackClocks = {}): Promise<LocalStack> {
  // The SQLite file allows one stack per directory; with BACKEND=aws DATA_DIR holds nothing shared.
  const unlock = config.backend === 'embedded' ? lockDataDir(config.dataDir) : () => {};
  let services: BackendServices;
  let consumer: QueueConsumer;
  try {
    if (config.backend === 'aws') {
      // Loaded only for BACKEND=aws: the AWS SDK's clients take seconds to import on a small machine.
      const [{ createAwsServices }, { awsConsumers }] = await Promise.all([import('../composition/aws.js'), import('./aws-consumers.js')]);
      const aws = await createAwsServices(config, logger, clocks.clock, clocks.identityClock);
      services = aws;
      consumer = await awsConsumers(aws, config, logger).catch(async (error: unknown) => {
        await aws.close();
        throw error;
      });
    } else {
      const embedded = await createEmbeddedServices(config, logger, clocks.clock);
      services = embedded;
      consumer = sqliteConsumer(embedded, config, logger);
    }
  } catch (error) {
    unlock();
    throw error;
  }
  const server = createLocalHttpServer({ routes: buildRouteTable(services), maxBodyBytes: config.maxBodyBytes, logger, accessLog: config.accessLog });
  const purge = makePurgeExpiredData(services);
  const purgeTimer = setInterval(() => {
    purge().catch((error: unknown) => logger.error('retention purge failed', { error: error as Error }));
  }, config.purgeIntervalMs);
  purgeTimer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  consumer.start();
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    url: `http://${host}:${port}`,
    services,
    stop: async () => {
      clearInterval(purgeTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await consumer.stop();
      await services.close();
      unlock();
    },
  };
}

/** The contact queue's poller and the tracing outbox's poller, started and stopped together. */
function sqliteConsumer(services: EmbeddedServices, config: BackendConfig, logger: Logger): QueueConsumer {
  const consumers = [
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
  ];
  return {
    start: () => consumers.forEach((c) => c.start()),
    stop: async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
