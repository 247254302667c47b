import { randomUUID } from 'node:crypto';
import { acceptContactBatch } from '../../src/application/accept-contact-batch.js';
import type { EmbeddedServices } from '../../src/composition/embedded.js';
import type { Device } from '../../src/domain/device.js';
import { encodeToken } from '../../src/domain/tokens/token-encoding.js';
import { windowContaining, windowStart } from '../../src/domain/tokens/token-window.js';
import { EncounterWorkload } from '../encounter-workload.js';
import { consumersOf, forEachConcurrently } from './consumers.js';

export interface InsertFigures {
  uploads: number;
  observationsAccepted: number;
  observationsDropped: number;
  /** Accepting the uploads (what POST /v1/contacts does after authentication), in seconds. */
  acceptSeconds: number;
  /** The consumer, from the first receive to the empty queue. */
  consumeSeconds: number;
  contactsInserted: number;
  observationsMerged: number;
  /** New contacts stored per second of the consumer. */
  contactsPerSecond: number;
  observationsPerSecond: number;
  /** CPU of the bench's process per observation while the consumer ran (its one thread). */
  cpuMicrosecondsPerObservation: number;
  duplicateShare: number;
  left: { backlog: number; inFlight: number; deadLettered: number };
}

const MINUTE_MS = 60_000;

/**
 * New contacts at the store's size: `devices` meet pairs they have not met before in the current
 * token window, both sides reporting (half the observations duplicates), `uploads` batches of 50.
 * The uploads are accepted first, then the consumer drains the queue and is timed alone: its cost
 * is the part that depends on what the store holds.
 */
export async function measureInserts(services: EmbeddedServices, devices: readonly Device[], uploads: number): Promise<InsertFigures> {
  const { config, cipher } = services;
  const now = services.clock();
  const window = windowContaining(now, config.tokenTtlMinutes);
  const tokens = devices.map((d) => encodeToken(cipher.issue(d.number, window)));
  // Inside the current window and its grace, so that every token is still accepted.
  const from = new Date(Math.max(now.getTime() - 50 * MINUTE_MS, windowStart(window).getTime() - config.sightingRules.graceMs + MINUTE_MS));
  const workload = new EncounterWorkload({ tokens, repeatEvery: 0, from, to: new Date(now.getTime() - MINUTE_MS) });
  const deps = { queue: services.queue, cipher, rules: config.sightingRules, clock: services.clock };

  const recent = () => (services.database.read((db) => db.prepare('SELECT count(*) AS n FROM contacts WHERE last_seen >= ?').get(from.getTime() - config.sightingRules.graceMs)) as { n: number }).n;
  const deadBefore = (await services.queue.stats()).deadLettered;
  const before = recent();
  let accepted = 0;
  let dropped = 0;
  const acceptStarted = performance.now();
  await forEachConcurrently(uploads, 32, async () => {
    const upload = workload.next();
    const observations = upload.observations.map((o) => ({ token: o.token, firstSeen: new Date(o.firstSeen), lastSeen: new Date(o.lastSeen), rssi: o.rssi }));
    const result = await acceptContactBatch(deps, devices[upload.device]!, randomUUID(), observations);
    accepted += result.accepted;
    dropped += result.dropped.length;
  });
  const acceptSeconds = (performance.now() - acceptStarted) / 1000;

  const cpuBefore = process.cpuUsage();
  const consumeStarted = performance.now();
  await consumersOf(services).drainQueue();
  const consumeSeconds = (performance.now() - consumeStarted) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const inserted = recent() - before;
  const stats = await services.queue.stats();
  return {
    uploads,
    observationsAccepted: accepted,
    observationsDropped: dropped,
    acceptSeconds,
    consumeSeconds,
    contactsInserted: inserted,
    observationsMerged: accepted - inserted,
    contactsPerSecond: inserted / consumeSeconds,
    observationsPerSecond: accepted / consumeSeconds,
    cpuMicrosecondsPerObservation: (cpu.user + cpu.system) / accepted,
    duplicateShare: workload.counts.duplicates / workload.counts.observations,
    left: { backlog: stats.backlog, inFlight: stats.inFlight, deadLettered: stats.deadLettered - deadBefore },
  };
}
