import { createHash } from 'node:crypto';
import type { Device } from '../domain/device.js';
import type { ContactBatch, DropReason, GeoPoint, Observation } from '../domain/contacts/observation.js';
import { resolveObservations } from '../domain/contacts/resolve-observations.js';
import type { SightingRules } from '../domain/contacts/sighting-window.js';
import { BatchConflictError } from '../domain/errors.js';
import type { TokenCipher } from '../domain/tokens/token-cipher.js';
import { ConflictingBatchError, type ContactQueue } from '../ports/contact-queue.js';
import type { Clock } from './clock.js';
import { toMessage } from './contact-batch-message.js';

export interface AcceptContactBatchDeps {
  queue: ContactQueue;
  cipher: TokenCipher;
  rules: SightingRules;
  clock: Clock;
}

export interface AcceptedBatch {
  batchId: string;
  /** Observations queued for storage. */
  accepted: number;
  /** Observations refused at the door, by index, with the reason. */
  dropped: { index: number; reason: DropReason }[];
  /** Observations cut to their token's window (plus grace), by index, with what was kept. */
  clipped: { index: number; firstSeen: Date; lastSeen: Date }[];
  /** False for a re-post of a batch that was already accepted. */
  newlyAccepted: boolean;
}

/** Three decimals of a degree is about 110 m: enough to see where infections happen, not whose home it was. */
const LOCATION_DECIMALS = 3;

/**
 * Checks a reporter's batch as the consumer will (tokens, windows, age) so that the reporter
 * learns at once what was dropped or clipped, then durably queues what is left. The batch id is
 * scoped to the reporter; a re-post with the same content is accepted again and stored once, a
 * re-post with other content is refused.
 */
export async function acceptContactBatch(
  deps: AcceptContactBatchDeps,
  reporter: Device,
  batchId: string,
  observations: Observation[],
): Promise<AcceptedBatch> {
  const normalized = observations.map(coarsen);
  const receivedAt = deps.clock();
  const check = resolveObservations({ batchId, reporter: reporter.number, receivedAt, observations: normalized }, deps.cipher, deps.rules);
  const clippedAt = new Map(check.clipped.map((index) => [index, true]));
  const kept: Observation[] = [];
  const clipped: AcceptedBatch['clipped'] = [];
  let next = 0;
  normalized.forEach((observation, index) => {
    if (check.reasons[index] !== undefined) return;
    const resolved = check.resolved[next++]!;
    const window = { firstSeen: resolved.firstSeen, lastSeen: resolved.lastSeen };
    kept.push({ ...observation, ...window });
    if (clippedAt.has(index)) clipped.push({ index, ...window });
  });
  const dropped = check.reasons.flatMap((reason, index) => (reason === undefined ? [] : [{ index, reason }]));
  if (kept.length === 0) return { batchId, accepted: 0, dropped, clipped, newlyAccepted: false };

  const batch: ContactBatch = { batchId, reporter: reporter.number, receivedAt, observations: kept };
  const dedupKey = `${reporter.number}:${batchId}`;
  try {
    const body = JSON.stringify(toMessage(dedupKey, batch));
    const { enqueued } = await deps.queue.enqueue(body, dedupKey, contentHash(normalized), reporter.number);
    return { batchId, accepted: kept.length, dropped, clipped, newlyAccepted: enqueued };
  } catch (error) {
    if (error instanceof ConflictingBatchError) {
      throw new BatchConflictError(`Batch ${batchId} was already accepted with different observations; use a new batchId.`, { batchId });
    }
    throw error;
  }
}

function coarsen(observation: Observation): Observation {
  return observation.location ? { ...observation, location: roundPoint(observation.location) } : observation;
}

function roundPoint(point: GeoPoint): GeoPoint {
  const factor = 10 ** LOCATION_DECIMALS;
  return { lat: Math.round(point.lat * factor) / factor, lon: Math.round(point.lon * factor) / factor };
}

/** Over what the reporter sent (not what was kept), so a re-post is recognised whenever it comes. */
function contentHash(observations: Observation[]): string {
  return createHash('sha256').update(JSON.stringify(observations)).digest('base64url');
}
