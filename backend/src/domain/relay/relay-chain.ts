import type { SignedRelayBatch } from './relay-batch.js';
import { ZERO_HASH } from './relay-batch.js';

/** What the backend knows of one dedicated device's chain. */
export interface ChainHead {
  /** Highest seq accepted so far (0 before the first batch). */
  highestSeq: number;
  /** Hash of the batch at highestSeq. */
  headHash: Buffer;
  /** The device's `dropped` counter as of the last accepted batch. */
  droppedReported: number;
}

export const EMPTY_CHAIN: ChainHead = { highestSeq: 0, headHash: ZERO_HASH, droppedReported: 0 };

export interface Gap {
  fromSeq: number;
  toSeq: number;
  /** How many of the missing batches the device says it discarded itself (store full); the rest were lost on the way. */
  droppedByDevice: number;
}

/** What is known about an earlier seq: the hash accepted there, or that it is a recorded gap. */
export type PastSeq = { kind: 'accepted'; hash: Buffer } | { kind: 'gap' } | { kind: 'unknown' };

export type ChainRejection = 'batch_chain_broken' | 'batch_out_of_order' | 'batch_replayed' | 'batch_conflict';

export type ChainDecision =
  | { kind: 'accept'; gap?: Gap }
  | { kind: 'duplicate' }
  | { kind: 'reject'; code: ChainRejection; message: string };

/**
 * Where a verified batch fits the device's chain. Only the next seq extends it, and only if it
 * names the head as its predecessor; a later seq is accepted and the missing ones recorded as a
 * gap; an earlier seq is the same batch again (stored once), or a reordered, replayed or
 * conflicting one, which is refused. `past` is consulted only for seq ≤ highestSeq.
 */
export function placeInChain(head: ChainHead, batch: Pick<SignedRelayBatch, 'seq' | 'prevHash' | 'hash' | 'dropped'>, past: PastSeq): ChainDecision {
  if (batch.seq === head.highestSeq + 1) {
    if (!batch.prevHash.equals(head.headHash)) {
      return { kind: 'reject', code: 'batch_chain_broken', message: `Batch ${batch.seq} does not name batch ${head.highestSeq} as its predecessor.` };
    }
    return { kind: 'accept' };
  }
  if (batch.seq > head.highestSeq + 1) {
    const missing = batch.seq - head.highestSeq - 1;
    const droppedByDevice = Math.min(missing, Math.max(0, batch.dropped - head.droppedReported));
    return { kind: 'accept', gap: { fromSeq: head.highestSeq + 1, toSeq: batch.seq - 1, droppedByDevice } };
  }
  if (past.kind === 'accepted') {
    return past.hash.equals(batch.hash)
      ? { kind: 'duplicate' }
      : { kind: 'reject', code: 'batch_conflict', message: `Another batch ${batch.seq} of this device was already accepted.` };
  }
  if (past.kind === 'gap') {
    return { kind: 'reject', code: 'batch_out_of_order', message: `Batch ${batch.seq} arrived after batch ${head.highestSeq}; it is recorded as missing.` };
  }
  return { kind: 'reject', code: 'batch_replayed', message: `Batch ${batch.seq} is older than what this device delivered (up to ${head.highestSeq}).` };
}
