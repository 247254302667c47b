import Database from 'better-sqlite3';
import type { CheckpointEntry, DeadBatch, OutboxCounts, OutboxStore, SealedBatch, WireObservation } from '../ports/outbox-store.js';
import { SqlitePendingObservations } from './sqlite-pending.js';

/**
 * Durable outbox in one SQLite file (WAL, synchronous=FULL: every commit is fsync'd before the call
 * returns, so an acknowledged observation survives a power loss). SQLite rather than a hand-rolled
 * append-only log because sealing a batch, acknowledging it and dead-lettering it are multi-row
 * state changes that need atomic transactions and crash recovery, which SQLite already gets right.
 */
export class SqliteOutbox implements OutboxStore {
  private readonly db: Database.Database;
  private readonly pending: SqlitePendingObservations;
  private readonly stmts;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.pending = new SqlitePendingObservations(this.db);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS batch (
        batch_id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('waiting', 'dead')),
        last_error TEXT,
        dead_reason TEXT
      );
      CREATE INDEX IF NOT EXISTS batch_due ON batch (state, next_attempt_at);
    `);
    this.stmts = {
      insertBatch: this.db.prepare<[string, string, number, number]>(
        "INSERT INTO batch (batch_id, body, attempts, next_attempt_at, created_at, state) VALUES (?, ?, 0, ?, ?, 'waiting')",
      ),
      nextDue: this.db.prepare<[number], BatchRow>(
        "SELECT * FROM batch WHERE state = 'waiting' AND next_attempt_at <= ? ORDER BY created_at, rowid LIMIT 1",
      ),
      nextAttemptAt: this.db.prepare<[], { t: number | null }>("SELECT MIN(next_attempt_at) AS t FROM batch WHERE state = 'waiting'"),
      deleteBatch: this.db.prepare<[string]>('DELETE FROM batch WHERE batch_id = ?'),
      retry: this.db.prepare<[number, number, string, string]>('UPDATE batch SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE batch_id = ?'),
      dead: this.db.prepare<[string, string]>("UPDATE batch SET state = 'dead', dead_reason = ? WHERE batch_id = ?"),
      deadAll: this.db.prepare<[], BatchRow>("SELECT * FROM batch WHERE state = 'dead' ORDER BY created_at"),
      counts: this.db.prepare<[], { pending: number; waiting: number; dead: number }>(`
        SELECT (SELECT COUNT(*) FROM pending_observation) AS pending,
               (SELECT COUNT(*) FROM batch WHERE state = 'waiting') AS waiting,
               (SELECT COUNT(*) FROM batch WHERE state = 'dead') AS dead`),
    };
  }

  addObservations(observations: readonly WireObservation[], now: number): void {
    this.db.transaction(() => this.pending.add(observations, now))();
  }

  oldestPendingAt(): number | undefined {
    return this.pending.oldestAt();
  }

  sealBatch(batchId: string, max: number, now: number): SealedBatch | undefined {
    return this.db.transaction((): SealedBatch | undefined => {
      const observations = this.pending.takeOldest(max);
      if (observations.length === 0) return undefined;
      this.stmts.insertBatch.run(batchId, JSON.stringify(observations), now, now);
      return { batchId, observations, attempts: 0, nextAttemptAt: now, createdAt: now };
    })();
  }

  nextDueBatch(now: number): SealedBatch | undefined {
    const row = this.stmts.nextDue.get(now);
    return row === undefined ? undefined : fromRow(row);
  }

  nextAttemptAt(): number | undefined {
    return this.stmts.nextAttemptAt.get()?.t ?? undefined;
  }

  markSent(batchId: string): void {
    this.stmts.deleteBatch.run(batchId);
  }

  markRetry(batchId: string, attempts: number, nextAttemptAt: number, lastError: string): void {
    this.stmts.retry.run(attempts, nextAttemptAt, lastError, batchId);
  }

  markDead(batchId: string, reason: string): void {
    this.stmts.dead.run(reason, batchId);
  }

  deadBatches(): DeadBatch[] {
    return this.stmts.deadAll.all().map((r) => ({ ...fromRow(r), reason: r.dead_reason ?? '' }));
  }

  counts(): OutboxCounts {
    const c = this.stmts.counts.get()!;
    return { pendingObservations: c.pending, batches: c.waiting, dead: c.dead };
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

interface BatchRow {
  batch_id: string;
  body: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  dead_reason: string | null;
}

function fromRow(r: BatchRow): SealedBatch {
  return {
    batchId: r.batch_id,
    observations: JSON.parse(r.body) as WireObservation[],
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
  };
}

const _conforms: (path: string) => OutboxStore = (p) => new SqliteOutbox(p);
void _conforms;
