import type { BatchSink } from '../core/batcher.js';
import type { CheckpointEntry } from './outbox-store.js';

/** A signed batch a dedicated device holds until a backend acknowledgement frees it. */
export interface HeldBatch {
  seq: number;
  /** SHA-256 of `signed`: what the backend's ack names and the next batch's prevHash. */
  hash: Buffer;
  signed: Buffer;
  observations: number;
  createdAt: number;
}

export interface DroppedCounts {
  batches: number;
  observations: number;
}

/**
 * The dedicated device's flash: pending observations, signed batches in a hash chain, and the
 * chain head (next seq, previous hash), all persisted. Bounded: sealing a batch into a full store
 * discards the oldest held batch and counts it; the count travels in every later batch, so the
 * backend can tell a device's own overflow from a batch lost on the way. Synchronous, like the
 * outbox: each call is one transaction.
 */
export interface RelayBatchStore extends BatchSink {
  /** Held batches, oldest first (at most `limit`). */
  held(limit?: number): HeldBatch[];
  heldCount(): number;
  seqOfHash(hash: Buffer): number | undefined;
  /** Frees every held batch up to and including `seq`; returns how many. */
  freeThrough(seq: number): number;
  dropped(): DroppedCounts;
  /** Bytes the held batches take: what a firmware's flash budget would count. */
  heldBytes(): number;
  saveCheckpoint(entries: readonly CheckpointEntry[]): void;
  loadCheckpoint(): CheckpointEntry[];
  close(): void;
}
