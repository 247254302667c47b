import { contactsFromObservations, type Contact } from '../domain/contacts/contact.js';
import { noDrops, type DropReason } from '../domain/contacts/observation.js';
import { resolveObservations } from '../domain/contacts/resolve-observations.js';
import type { SightingRules } from '../domain/contacts/sighting-window.js';
import type { DeviceNumber } from '../domain/device.js';
import { isNotifiable, type ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import type { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { ContactQueue } from '../ports/contact-queue.js';
import type { RateLimitStore } from '../ports/rate-limit-store.js';
import { OperationalCounts } from './operational-counts.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { DeviceDirectory } from '../ports/device-directory.js';
import type { ExposureLedger } from '../ports/exposure-ledger.js';
import { pairTaskKey, type KeyedTask, type TracingOutbox } from '../ports/tracing-outbox.js';
import { contactBatchMessageSchema } from './contact-batch-message.js';

export interface ProcessContactBatchDeps {
  cipher: TokenCipher;
  contacts: ContactStore;
  queue: ContactQueue;
  devices: DeviceDirectory;
  ledger: ExposureLedger;
  outbox: TracingOutbox;
  rules: SightingRules;
  policy: ExposurePolicy;
  /** Receives after which a failing message is dead-lettered with its error instead of retried. */
  maxAttempts: number;
  /** Where the drops are counted for /v1/admin/stats. */
  counters: RateLimitStore;
  clock: () => Date;
}

export interface QueuedRecord {
  id: string;
  body: string;
  receiveCount: number;
}

export type BatchOutcome =
  | { status: 'stored'; contacts: number; dropped: Record<DropReason, number>; tasks: number }
  | { status: 'duplicate'; tasks: number }
  | { status: 'dead-lettered'; reason: string }
  | { status: 'failed'; error: unknown };

interface Applied {
  record: QueuedRecord;
  batchKey: string;
  contacts: Contact[];
  alreadyApplied: boolean;
  dropped: Record<DropReason, number>;
}

/**
 * Processes one invocation's queued batches: resolve tokens, fold observations into contacts and
 * merge each batch into the store once. Then, once for the whole invocation and after the writes,
 * look up which of the devices involved were erased or can pass exposure on: contacts of erased
 * devices are deleted again, and every new contact of a device that can pass exposure on becomes
 * a `pair` task on the tracing outbox. Writing first and reading after is what makes this safe
 * against an erasure or a new exposure recorded meanwhile by another instance: whichever side
 * acts second sees the other (see docs/ARCHITECTURE.md, "Tracing").
 *
 * Safe to run again for the same messages: a batch applied before is not applied twice, and its
 * hand-off to the tracer runs again (the previous attempt may have stopped in between).
 */
export async function processContactBatches(deps: ProcessContactBatchDeps, records: readonly QueuedRecord[]): Promise<Map<string, BatchOutcome>> {
  const outcomes = new Map<string, BatchOutcome>();
  const applied: Applied[] = [];
  await Promise.all(
    records.map(async (record) => {
      const outcome = await applyOne(deps, record).catch((error: unknown) => failure(deps, record, error));
      if ('batchKey' in outcome) applied.push(outcome);
      else outcomes.set(record.id, outcome);
    }),
  );
  if (applied.length === 0) return outcomes;
  try {
    const { tasks, erasedContacts } = await handOff(deps, applied);
    const dropped = noDrops();
    for (const a of applied) if (!a.alreadyApplied) for (const [reason, n] of Object.entries(a.dropped)) dropped[reason as DropReason] += n;
    dropped.erased_device += erasedContacts;
    await new OperationalCounts(deps.counters).count(dropped, deps.clock());
    for (const a of applied) {
      const mine = tasks.get(a.batchKey) ?? 0;
      outcomes.set(a.record.id, a.alreadyApplied ? { status: 'duplicate', tasks: mine } : { status: 'stored', contacts: a.contacts.length, dropped: a.dropped, tasks: mine });
    }
  } catch (error) {
    await Promise.all(applied.map(async (a) => outcomes.set(a.record.id, await failure(deps, a.record, error, 'stored, but handing its contacts to the tracer failed'))));
  }
  return outcomes;
}

async function applyOne(deps: ProcessContactBatchDeps, record: QueuedRecord): Promise<Applied | BatchOutcome> {
  const parsed = parseMessage(record.body);
  if (!parsed.ok) {
    await deps.queue.deadLetter(record.body, parsed.reason, record.receiveCount);
    return { status: 'dead-lettered', reason: parsed.reason };
  }
  const { batchKey, batch } = parsed.message;
  const { resolved, dropped } = resolveObservations(batch, deps.cipher, deps.rules);
  const contacts = contactsFromObservations(resolved);
  const { alreadyApplied } = await deps.contacts.applyBatch({ batchKey, reporter: batch.reporter, contacts, observationCount: batch.observations.length });
  return { record, batchKey, contacts, alreadyApplied, dropped };
}

/** Deletes what erased devices left, queues pair tasks for spreading devices; returns the tasks per batch key. */
async function handOff(deps: ProcessContactBatchDeps, applied: readonly Applied[]): Promise<{ tasks: Map<string, number>; erasedContacts: number }> {
  const devices = new Set<DeviceNumber>();
  for (const a of applied) for (const c of a.contacts) devices.add(c.deviceLow).add(c.deviceHigh);
  if (devices.size === 0) return { tasks: new Map(), erasedContacts: 0 };
  const list = [...devices];
  const [erased, states] = await Promise.all([deps.devices.erasedAmong(list), deps.ledger.statesOf(list)]);
  let erasedContacts = 0;
  for (const device of erased) erasedContacts += await deps.contacts.deleteFor(device);
  const spreading = new Set(states.filter((s) => isNotifiable(deps.policy, s.degree + 1)).map((s) => s.device));
  const tasks: KeyedTask[] = [];
  const perBatch = new Map<string, number>();
  for (const a of applied) {
    for (const c of a.contacts) {
      if (erased.has(c.deviceLow) || erased.has(c.deviceHigh)) continue;
      if (!spreading.has(c.deviceLow) && !spreading.has(c.deviceHigh)) continue;
      tasks.push({ key: pairTaskKey(a.batchKey, c.deviceLow, c.deviceHigh), task: { kind: 'pair', low: c.deviceLow, high: c.deviceHigh } });
      perBatch.set(a.batchKey, (perBatch.get(a.batchKey) ?? 0) + 1);
    }
  }
  if (tasks.length > 0) await deps.outbox.enqueue(tasks);
  return { tasks: perBatch, erasedContacts };
}

/** A failure to retry, or on the last attempt a dead letter that says what failed. */
async function failure(deps: ProcessContactBatchDeps, record: QueuedRecord, error: unknown, what = 'failed'): Promise<BatchOutcome> {
  if (record.receiveCount < deps.maxAttempts) return { status: 'failed', error };
  const reason = `${what} on attempt ${record.receiveCount} of ${deps.maxAttempts}: ${error instanceof Error ? error.message : String(error)}`;
  await deps.queue.deadLetter(record.body, reason, record.receiveCount);
  return { status: 'dead-lettered', reason };
}

function parseMessage(body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false as const, reason: 'message body is not JSON' };
  }
  const result = contactBatchMessageSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false as const, reason: `message does not match the contact batch schema: ${issues}` };
  }
  return { ok: true as const, message: result.data };
}
