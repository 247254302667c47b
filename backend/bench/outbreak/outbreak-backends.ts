import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/application/clock.js';
import { createAwsServices } from '../../src/composition/aws.js';
import type { BackendServices } from '../../src/composition/backend-services.js';
import { createEmbeddedServices } from '../../src/composition/embedded.js';
import { createLogger } from '../../src/composition/logger.js';
import { loadBackendConfig } from '../../src/config/backend-config.js';
import { makeProcessContactBatches } from '../../src/handlers/process-contact-batches.js';
import { makeTraceExposures } from '../../src/handlers/trace-exposures.js';
import { awsEventSources } from '../../src/local/aws-consumers.js';
import { OutboxPoller } from '../../src/local/outbox-poller.js';
import { QueuePoller } from '../../src/local/queue-poller.js';
import { startAwsBenchServices } from '../aws-bench-services.js';
import { benchEnv } from '../scale/scale-services.js';
import { TracerCost } from './tracer-cost.js';

export type OutbreakBackendName = 'embedded' | 'aws';

/** A backend whose consumer and tracer the bench runs by hand, with the tracer's cost counted. */
export interface OutbreakBackend {
  name: OutbreakBackendName;
  services: BackendServices;
  cost: TracerCost;
  /** Runs the contact queue's consumer until no message waits. */
  drainQueue(): Promise<void>;
  /** Runs the tracer until no task waits; returns the tasks it ran. */
  traceUntilIdle(): Promise<number>;
  close(): Promise<void>;
}

type TracerHandler = ReturnType<typeof makeTraceExposures>;

/** The ports the tracer's tasks use, each counted (see TracerCost). */
function countTracerPorts(services: BackendServices, cost: TracerCost): void {
  services.contacts = cost.counting('contacts', services.contacts);
  services.ledger = cost.counting('ledger', services.ledger);
  services.channel = cost.counting('channel', services.channel);
  services.tokenFlags = cost.counting('tokenFlags', services.tokenFlags);
  services.outbox = cost.counting('outbox', services.outbox);
}

function observed(cost: TracerCost, handler: TracerHandler): TracerHandler {
  return (event, context) => cost.within(() => handler(event, context));
}

/** npm start's embedded composition on a temp DATA_DIR (SQLite, the outbox poller playing the stream). */
export async function embeddedOutbreakBackend(clock: Clock): Promise<OutbreakBackend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'proxitrace-outbreak-'));
  const config = loadBackendConfig(benchEnv(dataDir));
  const cost = new TracerCost();
  const services = await createEmbeddedServices(config, createLogger(config), clock, { onStatement: cost.onStatement });
  countTracerPorts(services, cost);
  const { logger } = services;
  const queue = new QueuePoller({ queue: services.embeddedQueue, handler: makeProcessContactBatches(services), batchSize: config.queue.pollBatchSize, idleDelayMs: config.queue.pollIntervalMs, logger });
  const tracer = new OutboxPoller({ outbox: services.embeddedOutbox, handler: observed(cost, makeTraceExposures(services)), batchSize: config.queue.pollBatchSize, idleDelayMs: config.queue.pollIntervalMs, logger });
  return {
    name: 'embedded',
    services,
    cost,
    drainQueue: async () => {
      while ((await queue.pollOnce()) > 0);
    },
    traceUntilIdle: () => tracer.drain(),
    close: async () => {
      cost.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The BACKEND=aws composition on DynamoDB Local, ElasticMQ, OpenSearch and cognito-local, started for the bench. */
export async function awsOutbreakBackend(clock: Clock, progress: (message: string) => void): Promise<OutbreakBackend> {
  const engines = await startAwsBenchServices(progress);
  const { env } = engines;
  const config = loadBackendConfig({ ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN' });
  const cost = new TracerCost({
    [new URL(env.DYNAMODB_ENDPOINT!).host]: 'dynamodb',
    [new URL(env.SQS_ENDPOINT!).host]: 'sqs',
    [new URL(env.SEARCH_NODE!).host]: 'opensearch',
    [new URL(env.COGNITO_ENDPOINT!).host]: 'cognito',
  });
  const services = await createAwsServices(config, createLogger(config), clock);
  countTracerPorts(services, cost);
  const sources = await awsEventSources(services, config, services.logger, (handler) => observed(cost, handler));
  return {
    name: 'aws',
    services,
    cost,
    drainQueue: async () => {
      // An empty receive can come before a message sent a moment ago is visible: two in a row end it.
      for (let empty = 0; empty < 2; ) empty = (await sources.consumer.pollOnce()) > 0 ? 0 : empty + 1;
    },
    traceUntilIdle: () => sources.tracer.drain(120_000),
    close: async () => {
      cost.close();
      sources.close();
      await services.close();
      await engines.stop();
    },
  };
}
