import { randomUUID } from 'node:crypto';
import type { OutboxStore, SealedBatch, WireObservation } from '../ports/outbox-store.js';

/** What the batcher needs of a store: the outbox on a bridge, the bounded relay store on a dedicated device. */
export type BatchSink = Pick<OutboxStore, 'addObservations' | 'oldestPendingAt' | 'sealBatch' | 'counts'>;

export const MAX_BATCH_SIZE = 50;
export const DEFAULT_FLUSH_MAX_AGE_MS = 15 * 60_000;

export interface BatcherOptions {
  maxBatchSize?: number;
  /** A partial batch is sealed once its oldest observation has waited this long in the outbox. */
  flushMaxAgeMs?: number;
  newBatchId?: () => string;
  onSealed?: (batch: SealedBatch) => void;
}

/**
 * Groups finished observations into upload batches of up to 50. Pending observations live in the
 * outbox store (on disk), so nothing waits only in memory: sealing happens when 50 are pending,
 * when the oldest pending one reaches FLUSH_MAX_AGE ({@link tick}), and on shutdown ({@link flushAll}).
 */
export class Batcher {
  private readonly maxBatchSize: number;
  private readonly flushMaxAgeMs: number;
  private readonly newBatchId: () => string;
  private readonly onSealed: (batch: SealedBatch) => void;
  private pending: number;

  constructor(private readonly store: BatchSink, options: BatcherOptions = {}) {
    this.maxBatchSize = options.maxBatchSize ?? MAX_BATCH_SIZE;
    if (this.maxBatchSize < 1 || this.maxBatchSize > MAX_BATCH_SIZE) throw new RangeError(`maxBatchSize must be 1..${MAX_BATCH_SIZE}`);
    this.flushMaxAgeMs = options.flushMaxAgeMs ?? DEFAULT_FLUSH_MAX_AGE_MS;
    this.newBatchId = options.newBatchId ?? randomUUID;
    this.onSealed = options.onSealed ?? (() => {});
    this.pending = store.counts().pendingObservations;
  }

  get pendingCount(): number {
    return this.pending;
  }

  add(observations: readonly WireObservation[], now: number): SealedBatch[] {
    if (observations.length === 0) return [];
    this.store.addObservations(observations, now);
    this.pending += observations.length;
    const sealed: SealedBatch[] = [];
    while (this.pending >= this.maxBatchSize) this.sealOne(now, sealed);
    return sealed;
  }

  /** Seals the partial batch if its oldest observation reached FLUSH_MAX_AGE. */
  tick(now: number): SealedBatch[] {
    const sealed: SealedBatch[] = [];
    let oldest = this.store.oldestPendingAt();
    while (oldest !== undefined && now - oldest >= this.flushMaxAgeMs) {
      if (!this.sealOne(now, sealed)) break;
      oldest = this.store.oldestPendingAt();
    }
    return sealed;
  }

  /** When the partial batch will be due, for scheduling. */
  nextFlushAt(): number | undefined {
    const oldest = this.store.oldestPendingAt();
    return oldest === undefined ? undefined : oldest + this.flushMaxAgeMs;
  }

  flushAll(now: number): SealedBatch[] {
    const sealed: SealedBatch[] = [];
    while (this.pending > 0) if (!this.sealOne(now, sealed)) break;
    return sealed;
  }

  private sealOne(now: number, into: SealedBatch[]): boolean {
    const batch = this.store.sealBatch(this.newBatchId(), this.maxBatchSize, now);
    if (batch === undefined) {
      this.pending = 0;
      return false;
    }
    this.pending -= batch.observations.length;
    into.push(batch);
    this.onSealed(batch);
    return true;
  }
}
