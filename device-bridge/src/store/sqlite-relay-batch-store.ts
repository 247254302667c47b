import Database from 'better-sqlite3';
import type { RelayObservation } from '../../../backend/src/domain/relay/relay-batch.js';
import { sha256, ZERO_HASH } from '../../../backend/src/domain/relay/relay-batch.js';
import type { BatchSealer } from '../dedicated/batch-sealer.js';
import type { CheckpointEntry, OutboxCounts, SealedBatch, WireObservation } from '../ports/outbox-store.js';
import type { DroppedCounts, HeldBatch, RelayBatchStore } from '../ports/relay-batch-store.js';
import { SqlitePendingObservations } from '../outbox/sqlite-pending.js';

export interface RelayBatchStoreOptions {
  sealer: Pick<BatchSealer, 'sign'>;
  /** Most signed batches held; sealing one more discards the oldest (default 64 ≈ 90 KB of flash). */
  maxBatches?: number;
  onDropped?: (batch: { seq: number; observations: number }) => void;
}

export const DEFAULT_MAX_HELD_BATCHES = 64;

/**
 * The dedicated device's store in one SQLite file (WAL, synchronous=FULL), standing in for the
 * firmware's flash log: sealing (take 50 pending, sign with the next seq and the previous hash,
 * discard the oldest batch when full) and freeing are single transactions, so a power cut leaves
 * either the old state or the new one, never a seq used twice or a batch half freed.
 */
export class SqliteRelayBatchStore implements RelayBatchStore {
  private readonly db: Database.Database;
  private readonly maxBatches: number;
  private readonly pending: SqlitePendingObservations;
  private readonly stmts;

  constructor(
    path: string,
    private readonly options: RelayBatchStoreOptions,
  ) {
    this.maxBatches = options.maxBatches ?? DEFAULT_MAX_HELD_BATCHES;
    if (!Number.isInteger(this.maxBatches) || this.maxBatches < 1) throw new RangeError('maxBatches must be ≥ 1');
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.pending = new SqlitePendingObservations(this.db);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS held_batch (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, signed BLOB NOT NULL, observations INTEGER NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS chain (id INTEGER PRIMARY KEY CHECK (id = 1), next_seq INTEGER NOT NULL, prev_hash BLOB NOT NULL,
        dropped_batches INTEGER NOT NULL, dropped_observations INTEGER NOT NULL);
      INSERT OR IGNORE INTO chain (id, next_seq, prev_hash, dropped_batches, dropped_observations) VALUES (1, 1, zeroblob(32), 0, 0);
    `);
    this.stmts = {
      chain: this.db.prepare<[], { next_seq: number; prev_hash: Buffer; dropped_batches: number; dropped_observations: number }>('SELECT * FROM chain WHERE id = 1'),
      advance: this.db.prepare<[number, Buffer]>('UPDATE chain SET next_seq = ?, prev_hash = ? WHERE id = 1'),
      countDrop: this.db.prepare<[number]>('UPDATE chain SET dropped_batches = dropped_batches + 1, dropped_observations = dropped_observations + ? WHERE id = 1'),
      insertHeld: this.db.prepare<[number, Buffer, Buffer, number, number]>('INSERT INTO held_batch (seq, hash, signed, observations, created_at) VALUES (?, ?, ?, ?, ?)'),
      oldestHeld: this.db.prepare<[], { seq: number; observations: number }>('SELECT seq, observations FROM held_batch ORDER BY seq LIMIT 1'),
      deleteHeld: this.db.prepare<[number]>('DELETE FROM held_batch WHERE seq = ?'),
      held: this.db.prepare<[number], { seq: number; hash: Buffer; signed: Buffer; observations: number; created_at: number }>('SELECT * FROM held_batch ORDER BY seq LIMIT ?'),
      heldStats: this.db.prepare<[], { n: number; bytes: number | null }>('SELECT COUNT(*) AS n, SUM(LENGTH(signed)) AS bytes FROM held_batch'),
      seqOfHash: this.db.prepare<[Buffer], { seq: number }>('SELECT seq FROM held_batch WHERE hash = ?'),
      freeThrough: this.db.prepare<[number]>('DELETE FROM held_batch WHERE seq <= ?'),
    };
  }

  addObservations(observations: readonly WireObservation[], now: number): void {
    this.db.transaction(() => this.pending.add(observations, now))();
  }

  oldestPendingAt(): number | undefined {
    return this.pending.oldestAt();
  }

  sealBatch(batchId: string, max: number, now: number): SealedBatch | undefined {
    const dropped: { seq: number; observations: number }[] = [];
    const sealed = this.db.transaction((): SealedBatch | undefined => {
      const wire = this.pending.takeOldest(max);
      if (wire.length === 0) return undefined;
      while (this.stmts.heldStats.get()!.n >= this.maxBatches) {
        const oldest = this.stmts.oldestHeld.get()!;
        this.stmts.deleteHeld.run(oldest.seq);
        this.stmts.countDrop.run(oldest.observations);
        dropped.push(oldest);
      }
      const chain = this.stmts.chain.get()!;
      const signed = this.options.sealer.sign({
        seq: chain.next_seq,
        prevHash: chain.prev_hash ?? ZERO_HASH,
        createdAt: new Date(now),
        dropped: chain.dropped_batches,
        observations: wire.map(toRelayObservation),
      });
      const hash = sha256(signed);
      this.stmts.insertHeld.run(chain.next_seq, hash, signed, wire.length, now);
      this.stmts.advance.run(chain.next_seq + 1, hash);
      return { batchId, observations: wire, attempts: 0, nextAttemptAt: now, createdAt: now };
    })();
    for (const d of dropped) this.options.onDropped?.(d);
    return sealed;
  }

  counts(): OutboxCounts {
    return { pendingObservations: this.pending.count(), batches: this.heldCount(), dead: 0 };
  }

  held(limit = this.maxBatches): HeldBatch[] {
    return this.stmts.held.all(limit).map((r) => ({ seq: r.seq, hash: Buffer.from(r.hash), signed: Buffer.from(r.signed), observations: r.observations, createdAt: r.created_at }));
  }

  heldCount(): number {
    return this.stmts.heldStats.get()!.n;
  }

  heldBytes(): number {
    return this.stmts.heldStats.get()!.bytes ?? 0;
  }

  seqOfHash(hash: Buffer): number | undefined {
    return this.stmts.seqOfHash.get(hash)?.seq;
  }

  freeThrough(seq: number): number {
    return this.stmts.freeThrough.run(seq).changes;
  }

  dropped(): DroppedCounts {
    const c = this.stmts.chain.get()!;
    return { batches: c.dropped_batches, observations: c.dropped_observations };
  }

  saveCheckpoint(entries: readonly CheckpointEntry[]): void {
    this.pending.saveCheckpoint(entries);
  }

  loadCheckpoint(): CheckpointEntry[] {
    return this.pending.loadCheckpoint();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * A sealed observation has one signal byte, and the backend scores proximity with it: the mean of
 * the sightings (as a phone's `rssiMean`), not the strongest one, which on a noisy channel reads
 * several dB nearer than the encounter was and would warn people who were not close enough.
 */
function toRelayObservation(o: WireObservation): RelayObservation {
  return { token: Buffer.from(o.token, 'base64url'), firstSeen: new Date(o.firstSeen), lastSeen: new Date(o.lastSeen), rssi: o.rssiMean ?? o.rssi };
}
