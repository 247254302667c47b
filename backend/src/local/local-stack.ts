import type { AddressInfo } from 'node:net';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../application/clock.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { BackendServices } from '../composition/backend-services.js';
import { WriteLockTurns } from '../adapters/sqlite/write-lock-turns.js';
import { createEmbeddedServices } from '../composition/embedded.js';
import { buildRouteTable } from '../handlers/routes.js';
import { consumerThread } from './consumer-thread.js';
import { lockDataDir } from './data-dir-lock.js';
import { analyticsTimer, embeddedConsumers, purgeTimer, type BackgroundWork } from './embedded-consumers.js';
import { createLocalHttpServer } from './local-http-server.js';

export interface LocalStack {
  url: string;
  services: BackendServices;
  stop(): Promise<void>;
}

/** What feeds the consumer handler: the SQLite poller, or SQS polling as Lambda's event source does. */
export type QueueConsumer = BackgroundWork;

/** The clocks of a stack; the wall clock unless a simulation (`npm run demo`) moves time itself. */
export interface StackClocks {
  /** What the data's times come from: tokens, contacts, cases, warnings, retention. */
  clock?: Clock;
  /**
   * The external identity provider's clock (BACKEND=aws: Cognito's, the wall clock): its tokens
   * are checked, their lifetimes told and its sign-in challenges kept on it. The embedded
   * provider issues its tokens on `clock`.
   */
  identityClock?: Clock;
}

/**
 * The backend, running in one process: HTTP server, queue consumer and retention timer, on the
 * adapters BACKEND chooses (the embedded SQLite file, or the AWS services). The same handlers
 * either way. On the embedded file the consumers run in a thread of their own
 * (EMBEDDED_CONSUMER=thread, consumer-thread.ts), so that the process uses two cores.
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
      const consumers = await awsConsumers(aws, config, logger).catch(async (error: unknown) => {
        await aws.close();
        throw error;
      });
      consumer = together([consumers, purgeTimer(aws, config, logger), analyticsTimer(aws, config, logger)]);
    } else if (config.embeddedConsumer === 'thread' && !clocks.clock) {
      // A simulated clock cannot reach another thread: a stack on one runs its consumers inline.
      const turns = new WriteLockTurns();
      // The consumer thread checkpoints the WAL; this thread answers requests.
      services = await createEmbeddedServices(config, logger, undefined, { turns, autoCheckpointPages: 0 });
      consumer = consumerThread(config, logger, turns);
    } else {
      const embedded = await createEmbeddedServices(config, logger, clocks.clock);
      services = embedded;
      consumer = embeddedConsumers(embedded, config, logger);
    }
  } catch (error) {
    unlock();
    throw error;
  }
  const server = createLocalHttpServer({ routes: buildRouteTable(services), maxBodyBytes: config.maxBodyBytes, logger, accessLog: config.accessLog });

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

function together(work: readonly BackgroundWork[]): BackgroundWork {
  return {
    start: () => work.forEach((w) => w.start()),
    stop: async () => {
      await Promise.all(work.map((w) => w.stop()));
    },
  };
}
