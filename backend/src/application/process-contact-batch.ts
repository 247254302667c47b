import { contactsFromObservations, type Contact } from '../domain/contacts/contact.js';
import type { DropReason } from '../domain/contacts/observation.js';
import { resolveObservations } from '../domain/contacts/resolve-observations.js';
import type { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { ContactQueue } from '../ports/contact-queue.js';
import type { ContactStore } from '../ports/contact-store.js';
import { contactBatchMessageSchema } from './contact-batch-message.js';
import type { ExposureIndex } from './exposure-index.js';
import type { ExposureTracer } from './exposure-tracer.js';

export interface ProcessContactBatchDeps {
  cipher: TokenCipher;
  contacts: ContactStore;
  queue: ContactQueue;
  index: ExposureIndex;
  tracer: ExposureTracer;
  tokenGraceMs: number;
  /** Sightings older than the lookback can never matter for tracing (and would outlive retention). */
  lookbackMs: number;
  /** Receives after which a failing message is dead-lettered with its error instead of retried. */
  maxAttempts: number;
}

export type BatchOutcome =
  | { status: 'stored'; contacts: number; dropped: Record<DropReason, number>; notified: number }
  | { status: 'duplicate'; notified: number }
  | { status: 'dead-lettered'; reason: string };

/** Runs before each group of messages: picks up cases and exposures created elsewhere. */
export async function refreshExposures(deps: Pick<ProcessContactBatchDeps, 'index' | 'tracer'>): Promise<number> {
  let notified = 0;
  for (const { exposure, indexDevice } of await deps.index.refreshIfStale()) {
    notified += (await deps.tracer.spreadFrom(exposure, indexDevice)).length;
  }
  return notified;
}

/**
 * Processes one queued batch: resolve tokens, fold observations into contacts, merge them into
 * the store once per batch, then notify the other party of any new contact with a device
 * that can pass exposure on. Safe to run again for the same message.
 */
export async function processContactBatch(deps: ProcessContactBatchDeps, body: string, receiveCount: number): Promise<BatchOutcome> {
  const parsed = parseMessage(body);
  if (!parsed.ok) {
    await deps.queue.deadLetter(body, parsed.reason, receiveCount);
    return { status: 'dead-lettered', reason: parsed.reason };
  }
  try {
    const { batchKey, batch } = parsed.message;
    const { resolved, dropped } = resolveObservations(batch, deps.cipher, {
      graceMs: deps.tokenGraceMs,
      maxSightingAgeMs: deps.lookbackMs,
      isErased: (device) => deps.index.isErased(device),
    });
    const contacts = contactsFromObservations(resolved);
    const { alreadyApplied } = await deps.contacts.applyBatch({ batchKey, contacts, observationCount: batch.observations.length });
    // Even for a batch applied before, the notification step runs again: the previous attempt
    // may have stopped between storing and notifying.
    const notified = await notifyLateExposures(deps, contacts);
    return alreadyApplied ? { status: 'duplicate', notified } : { status: 'stored', contacts: contacts.length, dropped, notified };
  } catch (error) {
    if (receiveCount < deps.maxAttempts) throw error;
    const reason = `failed on attempt ${receiveCount} of ${deps.maxAttempts}: ${error instanceof Error ? error.message : String(error)}`;
    await deps.queue.deadLetter(body, reason, receiveCount);
    return { status: 'dead-lettered', reason };
  }
}

async function notifyLateExposures(deps: ProcessContactBatchDeps, contacts: readonly Contact[]): Promise<number> {
  let notified = 0;
  for (const contact of contacts) {
    for (const [device, other] of [
      [contact.deviceLow, contact.deviceHigh],
      [contact.deviceHigh, contact.deviceLow],
    ] as const) {
      for (const { exposure, indexDevice } of deps.index.exposuresOf(device)) {
        notified += (await deps.tracer.spreadThroughPair(exposure, other, indexDevice)).length;
      }
    }
  }
  return notified;
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
