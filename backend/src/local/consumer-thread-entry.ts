import { parentPort, workerData } from 'node:worker_threads';
import { WriteLockTurns } from '../adapters/sqlite/write-lock-turns.js';
import { systemClock } from '../application/clock.js';
import { loadBackendConfig } from '../config/backend-config.js';
import { createEmbeddedServices } from '../composition/embedded.js';
import { createLogger } from '../composition/logger.js';
import type { ConsumerThreadData, ConsumerThreadMessage } from './consumer-thread.js';
import { embeddedConsumers } from './embedded-consumers.js';

/** The consumer thread (see consumer-thread.ts): its own services on its own connection to the file. */
const data = workerData as ConsumerThreadData;
const config = loadBackendConfig(data.env);
const logger = createLogger(config);
const services = await createEmbeddedServices(config, logger, systemClock, {
  turns: new WriteLockTurns(data.turns),
  // This thread checkpoints the WAL, so that the HTTP thread never spends a request's time on it.
  autoCheckpointPages: 10_000,
  // Nobody waits on this thread's answers: longer transactions write fewer pages per contact.
  maxTransactionMs: 25,
});
const work = embeddedConsumers(services, config, logger);
work.start();
parentPort!.postMessage({ type: 'ready' } satisfies ConsumerThreadMessage);
parentPort!.on('message', (message: ConsumerThreadMessage) => {
  if (message.type !== 'stop') return;
  void work
    .stop()
    .then(() => services.close())
    .then(() => process.exit(0));
});
