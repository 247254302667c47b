import Database from 'better-sqlite3';
import type { RelayObservation } from '../../../backend/src/domain/relay/relay-batch.js';
import { sha256, ZERO_HASH } from '../../../backend/src/domain/relay/relay-batch.js';
import type { BatchSealer } from '../dedicated/batch-sealer.js';
import type { CheckpointEntry, OutboxCounts, SealedBatch, WireObservation } from '../ports/outbox-store.js';
import type { DroppedCounts, HeldBatch, RelayBatchStore } from '../ports/relay-batch-store.js';

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
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS pending_observation (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, enqueued_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS held_batch (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, signed BLOB NOT NULL, observations INTEGER NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS chain (id INTEGER PRIMARY KEY CHECK (id = 1), next_seq INTEGER NOT NULL, prev_hash BLOB NOT NULL,
        dropped_batches INTEGER NOT NULL, dropped_observations INTEGER NOT NULL);
      INSERT OR IGNORE INTO chain (id, next_seq, prev_hash, dropped_batches, dropped_observations) VALUES (1, 1, zeroblob(32), 0, 0);
      CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL);
    `);
    this.stmts = {
      insertPending: this.db.prepare<[string, number]>('INSERT INTO pending_observation (body, enqueued_at) VALUES (?, ?)'),
      oldestPending: this.db.prepare<[], { enqueued_at: number }>('SELECT enqueued_at FROM pending_observation ORDER BY id LIMIT 1'),
      takePending: this.db.prepare<[number], { id: number; body: string }>('SELECT id, body FROM pending_observation ORDER BY id LIMIT ?'),
      deletePendingUpTo: this.db.prepare<[number]>('DELETE FROM pending_observation WHERE id <= ?'),
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
      pendingCount: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM pending_observation'),
      saveCheckpoint: this.db.prepare<[string]>('INSERT OR REPLACE INTO checkpoint (id, body) VALUES (1, ?)'),
      loadCheckpoint: this.db.prepare<[], { body: string }>('SELECT body FROM checkpoint WHERE id = 1'),
    };
  }

  addObservations(observations: readonly WireObservation[], now: number): void {
    this.db.transaction(() => {
      for (const o of observations) this.stmts.insertPending.run(JSON.stringify(o), now);
    })();
  }

  oldestPendingAt(): number | undefined {
    return this.stmts.oldestPending.get()?.enqueued_at;
  }

  sealBatch(batchId: string, max: number, now: number): SealedBatch | undefined {
    const dropped: { seq: number; observations: number }[] = [];
    const sealed = this.db.transaction((): SealedBatch | undefined => {
      const rows = this.stmts.takePending.all(max);
      const last = rows.at(-1);
      if (last === undefined) return undefined;
      const wire = rows.map((r) => JSON.parse(r.body) as WireObservation);
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
      this.stmts.deletePendingUpTo.run(last.id);
      return { batchId, observations: wire, attempts: 0, nextAttemptAt: now, createdAt: now };
    })();
    for (const d of dropped) this.options.onDropped?.(d);
    return sealed;
  }

  counts(): OutboxCounts {
    return { pendingObservations: this.stmts.pendingCount.get()!.n, batches: this.heldCount(), dead: 0 };
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
    this.stmts.saveCheckpoint.run(JSON.stringify(entries));
  }

  loadCheckpoint(): CheckpointEntry[] {
    const row = this.stmts.loadCheckpoint.get();
    return row === undefined ? [] : (JSON.parse(row.body) as CheckpointEntry[]);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toRelayObservation(o: WireObservation): RelayObservation {
  return { token: Buffer.from(o.token, 'base64url'), firstSeen: new Date(o.firstSeen), lastSeen: new Date(o.lastSeen), rssi: o.rssi };
}
