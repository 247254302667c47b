import { randomUUID } from 'node:crypto';
import type { DeadLetter, DeadLetters } from '../../ports/dead-letters.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface DeadLetterRow {
  id: string;
  source: 'contacts' | 'tracing';
  body: string;
  reason: string;
  attempts: number;
  failed_at: number;
}

/**
 * The embedded dead letters: contact batches the consumer gave up on and tracing tasks the tracer
 * gave up on, in one table. Redriving a batch queues it again as a new message (the consumer
 * applies a batch key once, so a batch that did get stored is not stored twice); redriving a
 * tracing task makes its outbox row waiting again.
 */
export class SqliteDeadLetters implements DeadLetters {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(limit: number): Promise<DeadLetter[]> {
    return this.store.read(() => (this.store.statement('SELECT * FROM dead_letters ORDER BY failed_at, id LIMIT ?').all(limit) as DeadLetterRow[]).map(fromRow));
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    return this.store.read(() => {
      const row = this.store.statement('SELECT * FROM dead_letters WHERE id = ?').get(id) as DeadLetterRow | undefined;
      return row ? fromRow(row) : undefined;
    });
  }

  redrive(ids: readonly string[] | 'all'): Promise<number> {
    const at = this.now().getTime();
    return this.store.write(() => {
      let redriven = 0;
      for (const row of this.rows(ids)) {
        if (row.source === 'contacts') {
          const reporter = reporterOf(row.body);
          this.store.statement('INSERT INTO queue_messages (id, body, sent_at, visible_at, reporter) VALUES (?, ?, ?, ?, ?)').run(randomUUID(), row.body, at, at, reporter);
        } else {
          const seq = Number(row.id.replace(/^tracing-/, ''));
          this.store.statement('UPDATE tracing_tasks SET done_at = NULL, receive_count = 0, visible_at = ? WHERE seq = ?').run(at, seq);
        }
        this.store.statement('DELETE FROM dead_letters WHERE id = ?').run(row.id);
        redriven++;
      }
      return redriven;
    });
  }

  purge(ids: readonly string[] | 'all'): Promise<number> {
    return this.store.write(() => {
      if (ids === 'all') return this.store.statement('DELETE FROM dead_letters').run().changes;
      const remove = this.store.statement('DELETE FROM dead_letters WHERE id = ?');
      return ids.reduce((n, id) => n + remove.run(id).changes, 0);
    });
  }

  private rows(ids: readonly string[] | 'all'): DeadLetterRow[] {
    if (ids === 'all') return this.store.statement('SELECT * FROM dead_letters ORDER BY failed_at').all() as DeadLetterRow[];
    const select = this.store.statement('SELECT * FROM dead_letters WHERE id = ?');
    return ids.flatMap((id) => (select.get(id) as DeadLetterRow | undefined) ?? []);
  }
}

/** The reporter a body names; null for a body that is not even JSON (it is redriven to be dead-lettered again, with its reason). */
function reporterOf(body: string): number | null {
  try {
    const reporter = (JSON.parse(body) as { batch?: { reporter?: unknown } }).batch?.reporter;
    return typeof reporter === 'number' ? reporter : null;
  } catch {
    return null;
  }
}

function fromRow(row: DeadLetterRow): DeadLetter {
  return { id: row.id, source: row.source, body: row.body, reason: row.reason, attempts: row.attempts, failedAt: new Date(row.failed_at) };
}
