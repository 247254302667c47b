import type { AddressInfo } from 'node:net';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { BackendConfig } from '../config/backend-config.js';
import { createEmbeddedServices, type EmbeddedServices } from '../composition/embedded.js';
import { makePurgeExpiredData } from '../handlers/operations-handlers.js';
import { makeProcessContactBatches } from '../handlers/process-contact-batches.js';
import { buildRouteTable } from '../handlers/routes.js';
import { lockDataDir } from './data-dir-lock.js';
import { createLocalHttpServer } from './local-http-server.js';
import { QueuePoller } from './queue-poller.js';

export interface LocalStack {
  url: string;
  services: EmbeddedServices;
  stop(): Promise<void>;
}

/** The embedded default, running: HTTP server, queue poller and retention timer in one process. */
export async function startLocalStack(config: BackendConfig, logger: Logger): Promise<LocalStack> {
  const unlock = lockDataDir(config.dataDir);
  const services = await createEmbeddedServices(config, logger);
  const server = createLocalHttpServer({ routes: buildRouteTable(services), maxBodyBytes: config.maxBodyBytes, logger });
  const poller = new QueuePoller({
    queue: services.embeddedQueue,
    handler: makeProcessContactBatches(services),
    batchSize: config.queue.pollBatchSize,
    idleDelayMs: config.queue.pollIntervalMs,
    logger,
  });
  const purge = makePurgeExpiredData(services);
  const purgeTimer = setInterval(() => {
    purge().catch((error: unknown) => logger.error('retention purge failed', { error: error as Error }));
  }, config.purgeIntervalMs);
  purgeTimer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  poller.start();
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
      await poller.stop();
      await services.close();
      unlock();
    },
  };
}
