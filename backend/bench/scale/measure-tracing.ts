import { randomUUID } from 'node:crypto';
import { acceptContactBatch } from '../../src/application/accept-contact-batch.js';
import { issueVerificationCode } from '../../src/application/issue-verification-code.js';
import { reportInfection } from '../../src/application/report-infection.js';
import type { EmbeddedServices } from '../../src/composition/embedded.js';
import type { Device } from '../../src/domain/device.js';
import type { Observation } from '../../src/domain/contacts/observation.js';
import { encodeToken } from '../../src/domain/tokens/token-encoding.js';
import { windowContaining, windowStart } from '../../src/domain/tokens/token-window.js';
import { consumersOf, forEachConcurrently } from './consumers.js';
import type { StatementCounter } from '../statement-counter.js';

export interface TracingFigures {
  contactsOfCase: number;
  /** From the first poll of the tracing outbox after the report to the empty outbox. */
  seconds: number;
  /** The first poll alone: the case's own spread task (reading its contacts, recording degree 1). */
  firstPollSeconds: number;
  tasks: number;
  polls: number;
  warningsByDegree: Record<string, number>;
  /** With a counter: the SQL statements the tracing ran (its timing then includes the counting). */
  statements?: StatementCounter['counts'] & { queries: number };
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * One case with a contact to each of `contacts`: they met the index two days ago for 20 minutes at
 * -60 dBm (exposing under the default policy), both sides uploaded it through the consumer, and
 * the index reports a positive test with symptoms from three days ago. The tracer then runs to its
 * fixpoint: the index's spread, a warning and a spread for each contact (degree 1), and the warnings
 * their own contacts since that encounter earn (degree 2), read from the store at its size.
 */
export async function measureTracing(services: EmbeddedServices, index: Device, contacts: readonly Device[], counter?: StatementCounter): Promise<TracingFigures> {
  const { config, cipher } = services;
  const consumers = consumersOf(services);
  const now = services.clock();
  const window = windowContaining(new Date(now.getTime() - 2 * DAY_MS), config.tokenTtlMinutes);
  const met = { firstSeen: new Date(windowStart(window).getTime() + 30 * MINUTE_MS), lastSeen: new Date(windowStart(window).getTime() + 50 * MINUTE_MS), rssi: -60 };
  const tokenOf = (device: Device) => encodeToken(cipher.issue(device.number, window));
  const deps = { queue: services.queue, cipher, rules: config.sightingRules, clock: services.clock };
  const upload = (reporter: Device, observations: Observation[]) => acceptContactBatch(deps, reporter, randomUUID(), observations);

  for (let i = 0; i < contacts.length; i += 50) await upload(index, contacts.slice(i, i + 50).map((c) => ({ token: tokenOf(c), ...met })));
  await forEachConcurrently(contacts.length, 32, async (i) => void (await upload(contacts[i]!, [{ token: tokenOf(index), ...met }])));
  await consumers.drainQueue();
  // Pair tasks the uploads queued (contacts warned by earlier cases) are not this case's tracing.
  await consumers.drainOutbox();

  const { code } = await issueVerificationCode({ reports: services.reports, ttlMs: config.verificationCodeTtlMs, clock: services.clock }, 'bench-official');
  const { caseId } = await reportInfection({ reports: services.reports, policy: config.exposurePolicy, clock: services.clock }, index, code, new Date(now.getTime() - 3 * DAY_MS));

  counter?.start();
  const started = performance.now();
  let tasks = await consumers.traceOnce();
  const firstPollSeconds = (performance.now() - started) / 1000;
  let polls = 1;
  for (let n = await consumers.traceOnce(); n > 0; n = await consumers.traceOnce()) {
    tasks += n;
    polls++;
  }
  const seconds = (performance.now() - started) / 1000;
  counter?.stop();
  const rows = services.database.read((db) => db.prepare('SELECT degree, count(*) AS n FROM warnings WHERE case_id = ? GROUP BY degree').all(caseId)) as { degree: number; n: number }[];
  return {
    contactsOfCase: contacts.length,
    seconds,
    firstPollSeconds,
    tasks,
    polls,
    warningsByDegree: Object.fromEntries(rows.map((r) => [String(r.degree), r.n])),
    ...(counter ? { statements: { ...counter.counts, queries: counter.queries } } : {}),
  };
}
