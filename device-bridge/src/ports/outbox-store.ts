/** An observation as the backend receives it (POST /v1/contacts). */
export interface WireObservation {
  token: string;
  firstSeen: string;
  lastSeen: string;
  rssi?: number;
  rssiMean?: number;
  sightings?: number;
}

export interface SealedBatch {
  batchId: string;
  observations: WireObservation[];
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

export interface DeadBatch extends SealedBatch {
  reason: string;
}

export interface OutboxCounts {
  /** Finished observations waiting to fill a batch. */
  pendingObservations: number;
  /** Sealed batches waiting for (another) upload attempt. */
  batches: number;
  /** Batches the backend rejected permanently, kept on disk for inspection. */
  dead: number;
}

/** A snapshot of an observation still open in the cache, saved so a power loss loses little. */
export interface CheckpointEntry {
  token: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  rssiMax: number;
  rssiMin: number;
  rssiSum: number;
}

/**
 * Durable outbox. Synchronous on purpose: each call is one small local transaction, and a sync API
 * leaves no window where an acknowledged write is still in flight. Adapters: outbox/sqlite-outbox
 * (production) and outbox/memory-outbox (benchmarks, simulations).
 */
export interface OutboxStore {
  addObservations(observations: readonly WireObservation[], now: number): void;
  /** Enqueue time of the oldest pending observation, or undefined. */
  oldestPendingAt(): number | undefined;
  /** Moves up to `max` oldest pending observations into a new batch; undefined when none are pending. */
  sealBatch(batchId: string, max: number, now: number): SealedBatch | undefined;
  /** The batch to upload next (nextAttemptAt ≤ now, oldest first). */
  nextDueBatch(now: number): SealedBatch | undefined;
  /** Earliest nextAttemptAt among waiting batches. */
  nextAttemptAt(): number | undefined;
  markSent(batchId: string): void;
  markRetry(batchId: string, attempts: number, nextAttemptAt: number, lastError: string): void;
  markDead(batchId: string, reason: string): void;
  deadBatches(): DeadBatch[];
  counts(): OutboxCounts;
  saveCheckpoint(entries: readonly CheckpointEntry[]): void;
  loadCheckpoint(): CheckpointEntry[];
  close(): void;
}
