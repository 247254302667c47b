import type { CheckpointEntry, DeadBatch, OutboxCounts, OutboxStore, SealedBatch, WireObservation } from '../ports/outbox-store.js';

/** In-memory outbox for benchmarks and simulations. Not durable: never use it on a device. */
export class MemoryOutbox implements OutboxStore {
  private pending: { obs: WireObservation; at: number }[] = [];
  private pendingHead = 0;
  private readonly batches = new Map<string, SealedBatch>();
  private readonly dead = new Map<string, DeadBatch>();
  private checkpoint: CheckpointEntry[] = [];

  addObservations(observations: readonly WireObservation[], now: number): void {
    for (const obs of observations) this.pending.push({ obs, at: now });
  }

  oldestPendingAt(): number | undefined {
    return this.pending[this.pendingHead]?.at;
  }

  sealBatch(batchId: string, max: number, now: number): SealedBatch | undefined {
    const available = this.pending.length - this.pendingHead;
    if (available === 0) return undefined;
    const take = this.pending.slice(this.pendingHead, this.pendingHead + Math.min(max, available));
    this.pendingHead += take.length;
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
    const batch: SealedBatch = { batchId, observations: take.map((p) => p.obs), attempts: 0, nextAttemptAt: now, createdAt: now };
    this.batches.set(batchId, batch);
    return { ...batch, observations: [...batch.observations] };
  }

  nextDueBatch(now: number): SealedBatch | undefined {
    let best: SealedBatch | undefined;
    for (const b of this.batches.values()) {
      if (b.nextAttemptAt <= now && (best === undefined || b.createdAt < best.createdAt)) best = b;
    }
    return best === undefined ? undefined : { ...best, observations: [...best.observations] };
  }

  nextAttemptAt(): number | undefined {
    let min: number | undefined;
    for (const b of this.batches.values()) if (min === undefined || b.nextAttemptAt < min) min = b.nextAttemptAt;
    return min;
  }

  markSent(batchId: string): void {
    this.batches.delete(batchId);
  }

  markRetry(batchId: string, attempts: number, nextAttemptAt: number, _lastError?: string): void {
    const b = this.batches.get(batchId);
    if (b) Object.assign(b, { attempts, nextAttemptAt });
  }

  markDead(batchId: string, reason: string): void {
    const b = this.batches.get(batchId);
    if (!b) return;
    this.batches.delete(batchId);
    this.dead.set(batchId, { ...b, reason });
  }

  deadBatches(): DeadBatch[] {
    return [...this.dead.values()];
  }

  counts(): OutboxCounts {
    return { pendingObservations: this.pending.length - this.pendingHead, batches: this.batches.size, dead: this.dead.size };
  }

  saveCheckpoint(entries: readonly CheckpointEntry[]): void {
    this.checkpoint = [...entries];
  }

  loadCheckpoint(): CheckpointEntry[] {
    return [...this.checkpoint];
  }

  close(): void {}
}

// Compile-time conformance check.
const _conforms: OutboxStore = new MemoryOutbox();
void _conforms;
