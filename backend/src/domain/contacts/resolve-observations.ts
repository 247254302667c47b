import type { TokenCipher } from '../tokens/token-cipher.js';
import { decodeToken } from '../tokens/token-encoding.js';
import type { TokenPlaintext } from '../tokens/token-layout.js';
import { noDrops, type ContactBatch, type DropReason, type Observation, type ResolvedObservation } from './observation.js';
import { checkSighting, type SightingRules } from './sighting-window.js';

export interface ResolutionResult {
  resolved: ResolvedObservation[];
  dropped: Record<DropReason, number>;
  /** Indexes of the observations that were clipped to their token's window. */
  clipped: number[];
  /** Per observation: undefined when kept, else why it was dropped. */
  reasons: (DropReason | undefined)[];
}

/** Decrypts every token of a batch at once: no storage read, one cipher call per key. */
export function decryptTokens(observations: readonly Pick<Observation, 'token'>[], cipher: TokenCipher): (TokenPlaintext | undefined)[] {
  return cipher.resolveAll(observations.map((o) => decodeToken(o.token) ?? Buffer.alloc(0)));
}

/**
 * Resolves every observation of a batch to its advertiser and holds it to its token's window.
 * The same rules run when a batch is accepted (so the reporter learns what was dropped or
 * clipped) and when it is processed (key rotation, defence in depth).
 */
export function resolveObservations(batch: ContactBatch, cipher: TokenCipher, rules: SightingRules): ResolutionResult {
  const dropped = noDrops();
  const resolved: ResolvedObservation[] = [];
  const clipped: number[] = [];
  const reasons: (DropReason | undefined)[] = [];
  const tokens = decryptTokens(batch.observations, cipher);
  batch.observations.forEach((observation, i) => {
    const token = tokens[i];
    const check = checkSighting(observation, token, batch.reporter, batch.receivedAt, rules);
    if (!check.kept) {
      dropped[check.reason]++;
      reasons.push(check.reason);
      return;
    }
    reasons.push(undefined);
    if (check.clipped) clipped.push(i);
    const { token: _token, ...fields } = check.observation;
    resolved.push({ ...fields, reporter: batch.reporter, advertiser: token!.device, windowStartMinute: token!.windowStartMinute });
  });
  return { resolved, dropped, clipped, reasons };
}
