import type Database from 'better-sqlite3';
import type { CheckpointEntry, WireObservation } from '../ports/outbox-store.js';

/**
 * The tables a bridge's outbox and a dedicated device's store share: finished observations waiting
 * to fill a batch (in arrival order) and the checkpoint of open observations. Call from inside the
 * owner's transactions; each method is one statement.
 */
export class SqlitePendingObservations {
  private readonly stmts;

  constructor(db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS pending_observation (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, enqueued_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL);
    `);
    this.stmts = {
      insert: db.prepare<[string, number]>('INSERT INTO pending_observation (body, enqueued_at) VALUES (?, ?)'),
      oldest: db.prepare<[], { enqueued_at: number }>('SELECT enqueued_at FROM pending_observation ORDER BY id LIMIT 1'),
      take: db.prepare<[number], { id: number; body: string }>('SELECT id, body FROM pending_observation ORDER BY id LIMIT ?'),
      deleteUpTo: db.prepare<[number]>('DELETE FROM pending_observation WHERE id <= ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM pending_observation'),
      saveCheckpoint: db.prepare<[string]>('INSERT OR REPLACE INTO checkpoint (id, body) VALUES (1, ?)'),
      loadCheckpoint: db.prepare<[], { body: string }>('SELECT body FROM checkpoint WHERE id = 1'),
    };
  }

  add(observations: readonly WireObservation[], now: number): void {
    for (const o of observations) this.stmts.insert.run(JSON.stringify(o), now);
  }

  oldestAt(): number | undefined {
    return this.stmts.oldest.get()?.enqueued_at;
  }

  /** Removes and returns up to `max` of the oldest; empty when none are pending. */
  takeOldest(max: number): WireObservation[] {
    const rows = this.stmts.take.all(max);
    const last = rows.at(-1);
    if (last !== undefined) this.stmts.deleteUpTo.run(last.id);
    return rows.map((r) => JSON.parse(r.body) as WireObservation);
  }

  count(): number {
    return this.stmts.count.get()!.n;
  }

  saveCheckpoint(entries: readonly CheckpointEntry[]): void {
    this.stmts.saveCheckpoint.run(JSON.stringify(entries));
  }

  loadCheckpoint(): CheckpointEntry[] {
    const row = this.stmts.loadCheckpoint.get();
    return row === undefined ? [] : (JSON.parse(row.body) as CheckpointEntry[]);
  }
}
