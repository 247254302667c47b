import type { DeviceNumber } from '../../domain/device.js';
import { tracingTaskDevices, type KeyedTask, type TracingOutbox, type TracingTask } from '../../ports/tracing-outbox.js';
import { deadLetteredTaskNames, taskFromJson, taskToJson } from '../../ports/tracing-task-json.js';
import type { SqliteDatabase } from './sqlite-database.js';

export interface ReceivedTask {
  seq: number;
  key: string;
  task: TracingTask;
  receiveCount: number;
  queuedAt: Date;
}

export interface SqliteTracingOutboxOptions {
  visibilityTimeoutMs: number;
  /** After this many receives without success a task is dead-lettered. */
  maxReceives: number;
  /** How long a done task's key is kept, so queuing it again is recognised as a repeat. */
  keepDoneMs: number;
}

/**
 * The tracing outbox of the embedded store: a table whose rows are written in the same
 * transaction as what caused them (a case, a new exposure state, new contacts), received by the
 * local tracer as an SQS-like queue (visibility timeout, receive count, dead letters) and marked
 * done, not deleted, so a task queued again after it ran is ignored.
 */
export class SqliteTracingOutbox implements TracingOutbox {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly options: SqliteTracingOutboxOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  enqueue(tasks: readonly KeyedTask[]): Promise<void> {
    const at = this.now().getTime();
    return this.store.write(() => {
      for (const { key, task } of tasks) insertTask(this.store, key, task, at);
    });
  }

  receive(max: number): Promise<ReceivedTask[]> {
    const at = this.now().getTime();
    return this.store.write(() => {
      const rows = this.store
        .statement('SELECT seq, key, task, receive_count, queued_at FROM tracing_tasks WHERE done_at IS NULL AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?')
        .all(at, max) as { seq: number; key: string; task: string; receive_count: number; queued_at: number }[];
      const hide = this.store.statement('UPDATE tracing_tasks SET visible_at = ?, receive_count = receive_count + 1 WHERE seq = ?');
      const received: ReceivedTask[] = [];
      for (const row of rows) {
        if (row.receive_count >= this.options.maxReceives) {
          this.deadLetter(row, `not traced after ${row.receive_count} receives (the tracer failed or timed out each time)`, at);
          continue;
        }
        hide.run(at + this.options.visibilityTimeoutMs, row.seq);
        received.push({ seq: row.seq, key: row.key, task: taskFromJson(row.task), receiveCount: row.receive_count + 1, queuedAt: new Date(row.queued_at) });
      }
      return received;
    });
  }

  done(keys: readonly string[]): Promise<void> {
    const at = this.now().getTime();
    return this.store.write(() => {
      const done = this.store.statement('UPDATE tracing_tasks SET done_at = ? WHERE key = ? AND done_at IS NULL');
      for (const key of keys) done.run(at, key);
    });
  }

  /** On the last receive the task goes to the dead letters (source `tracing`) with the tracer's reason. */
  failed(key: string, reason: string): Promise<'retry' | 'dead-lettered'> {
    const at = this.now().getTime();
    return this.store.write(() => {
      const row = this.store.statement('SELECT seq, key, task, receive_count FROM tracing_tasks WHERE key = ? AND done_at IS NULL').get(key) as
        | { seq: number; key: string; task: string; receive_count: number }
        | undefined;
      if (!row) return 'retry';
      if (row.receive_count < this.options.maxReceives) return 'retry';
      this.deadLetter(row, `failed on attempt ${row.receive_count} of ${this.options.maxReceives}: ${reason}`, at);
      return 'dead-lettered';
    });
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    // Bound as text: a JS number binds as REAL, which would concatenate as "5.0".
    return this.store.write(() => {
      const waiting = this.store.statement("DELETE FROM tracing_tasks WHERE devices LIKE ?").run(`%,${device},%`).changes;
      const letters = this.store.statement("SELECT id, body FROM dead_letters WHERE source = 'tracing'").all() as { id: string; body: string }[];
      const remove = this.store.statement('DELETE FROM dead_letters WHERE id = ?');
      const named = letters.filter((letter) => deadLetteredTaskNames(letter.body, device));
      for (const letter of named) remove.run(letter.id);
      return waiting + named.length;
    });
  }

  /** Forgets done tasks older than keepDoneMs. */
  purgeDone(): Promise<number> {
    const before = this.now().getTime() - this.options.keepDoneMs;
    return this.store.write(() => this.store.statement('DELETE FROM tracing_tasks WHERE done_at IS NOT NULL AND done_at < ?').run(before).changes);
  }

  async stats(): Promise<{ waiting: number; deadLettered: number }> {
    return this.store.read(() => {
      const waiting = (this.store.statement('SELECT count(*) AS n FROM tracing_tasks WHERE done_at IS NULL').get() as { n: number }).n;
      const dead = (this.store.statement("SELECT count(*) AS n FROM dead_letters WHERE source = 'tracing'").get() as { n: number }).n;
      return { waiting, deadLettered: dead };
    });
  }

  private deadLetter(row: { seq: number; key: string; task: string; receive_count: number }, reason: string, at: number): void {
    this.store
      .statement("INSERT OR REPLACE INTO dead_letters (id, body, reason, attempts, failed_at, source) VALUES (?, ?, ?, ?, ?, 'tracing')")
      .run(`tracing-${row.seq}`, JSON.stringify({ key: row.key, task: JSON.parse(row.task) as unknown }), reason, row.receive_count, at);
    this.store.statement('UPDATE tracing_tasks SET done_at = ? WHERE seq = ?').run(at, row.seq);
  }
}

/** Queues one task inside the caller's transaction; a key already queued (waiting or done) is left alone. */
export function insertTask(store: SqliteDatabase, key: string, task: TracingTask, at: number): void {
  store
    .statement('INSERT INTO tracing_tasks (key, task, devices, queued_at, visible_at) VALUES (?, ?, ?, ?, 0) ON CONFLICT (key) DO NOTHING')
    .run(key, taskToJson(task), `,${tracingTaskDevices(task).join(',')},`, at);
}
