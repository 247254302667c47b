import type { DeviceNumber } from '../device.js';
import type { TokenCipher } from '../tokens/token-cipher.js';
import { decodeToken } from '../tokens/token-encoding.js';
import { windowCovers } from '../tokens/token-window.js';
import type { ContactBatch, DropReason, ResolvedObservation } from './observation.js';

export interface ResolutionRules {
  /** How far outside its window a token's first sighting may fall (clock skew, rotation jitter). */
  graceMs: number;
  /** Sightings that ended longer ago than this before the batch arrived are useless for tracing. */
  maxSightingAgeMs: number;
  isErased(device: DeviceNumber): boolean;
}

export interface ResolutionResult {
  resolved: ResolvedObservation[];
  dropped: Record<DropReason, number>;
}

/**
 * Resolves every observation of a batch without any storage read: tokens decrypt to their
 * advertiser, and only the small in-memory erased set is consulted.
 */
export function resolveObservations(batch: ContactBatch, cipher: TokenCipher, rules: ResolutionRules): ResolutionResult {
  const dropped: Record<DropReason, number> = { unknown_token: 0, expired_token: 0, stale_sighting: 0, self_contact: 0, erased_device: 0 };
  const oldestUseful = batch.receivedAt.getTime() - rules.maxSightingAgeMs;
  const resolved: ResolvedObservation[] = [];
  const tokens = batch.observations.map((o) => decodeToken(o.token));
  const plaintexts = cipher.resolveAll(tokens.map((t) => t ?? Buffer.alloc(0)));

  batch.observations.forEach((observation, i) => {
    const fields = plaintexts[i];
    if (!fields) {
      dropped.unknown_token++;
      return;
    }
    const window = { startMinute: fields.windowStartMinute, lengthMinutes: fields.windowMinutes };
    if (!windowCovers(window, observation.firstSeen, rules.graceMs)) {
      dropped.expired_token++;
    } else if (observation.lastSeen.getTime() < oldestUseful) {
      dropped.stale_sighting++;
    } else if (fields.device === batch.reporter) {
      dropped.self_contact++;
    } else if (rules.isErased(fields.device) || rules.isErased(batch.reporter)) {
      dropped.erased_device++;
    } else {
      resolved.push({
        reporter: batch.reporter,
        advertiser: fields.device,
        windowStartMinute: fields.windowStartMinute,
        firstSeen: observation.firstSeen,
        lastSeen: observation.lastSeen,
        rssi: observation.rssi,
        location: observation.location,
      });
    }
  });
  return { resolved, dropped };
}
