import { createHash } from 'node:crypto';
import type { Device } from '../domain/device.js';
import type { ContactBatch, GeoPoint, Observation } from '../domain/contacts/observation.js';
import { BatchConflictError } from '../domain/errors.js';
import { ConflictingBatchError, type ContactQueue } from '../ports/contact-queue.js';
import type { Clock } from './clock.js';
import { toMessage } from './contact-batch-message.js';

export interface AcceptContactBatchDeps {
  queue: ContactQueue;
  clock: Clock;
}

export interface AcceptedBatch {
  batchId: string;
  accepted: number;
  /** False for a re-post of a batch that was already accepted. */
  newlyAccepted: boolean;
}

/** Three decimals of a degree is about 110 m: enough to see where infections happen, not whose home it was. */
const LOCATION_DECIMALS = 3;

/**
 * Durably queues a reporter's batch. The batch id is scoped to the reporter; a re-post with
 * the same content is accepted again and stored once, a re-post with other content is refused.
 */
export async function acceptContactBatch(
  deps: AcceptContactBatchDeps,
  reporter: Device,
  batchId: string,
  observations: Observation[],
): Promise<AcceptedBatch> {
  const normalized = observations.map(coarsen);
  const batch: ContactBatch = { batchId, reporter: reporter.number, receivedAt: deps.clock(), observations: normalized };
  const dedupKey = `${reporter.number}:${batchId}`;
  try {
    const body = JSON.stringify(toMessage(dedupKey, batch));
    const { enqueued } = await deps.queue.enqueue(body, dedupKey, contentHash(normalized));
    return { batchId, accepted: observations.length, newlyAccepted: enqueued };
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

function contentHash(observations: Observation[]): string {
  return createHash('sha256').update(JSON.stringify(observations)).digest('base64url');
}
