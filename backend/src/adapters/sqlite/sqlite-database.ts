import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './schema.js';
import type { WriteLockTurns } from './write-lock-turns.js';

export interface SqliteOptions {
  /** FULL fsyncs every commit (survives power loss); NORMAL only survives a process crash. */
  synchronous: 'FULL' | 'NORMAL';
  /**
   * WAL pages after which a commit of this connection checkpoints (copies the WAL back into the
   * database file). 0 leaves checkpoints to another connection: the HTTP thread's, so that the
   * consumer thread does that work instead of the thread answering requests. Default 10,000.
   */
  autoCheckpointPages?: number;
  /** How long a group commit waits for another connection's write lock before it fails (default 5 s). */
  lockTimeoutMs?: number;
  /** Shared with the process's other connections to the file, so that they take turns on the write lock. */
  turns?: WriteLockTurns | undefined;
  /**
   * A group commit that has run this long commits what it has done and lets the lock go before it
   * runs the rest, so another connection never waits long for it (default 10 ms).
   */
  maxTransactionMs?: number;
  /** The schema's steps; the operational schema unless another file (the analytics store) has its own. */
  migrations?: readonly string[];
  /**
   * Called with the text of every statement the connection runs (transaction control included):
   * how a benchmark counts the queries behind a use case. Unset, nothing is traced.
   */
  onStatement?: ((sql: string) => void) | undefined;
}

type Write<T> = (db: Database.Database) => T;

interface PendingWrite {
  run: Write<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** How often a group commit tries again for a write lock that another connection holds. */
const LOCK_RETRY_MS = 1;
/** How long a connection lets the lock go by while another one waits for it, at most. */
const MAX_YIELD_MS = 50;
/** The WAL file is cut back to this size once a checkpoint has emptied it, so a burst does not keep it large. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The embedded default's single SQLite file (WAL mode), with group commit: writes requested
 * during one turn of the event loop share one transaction and so one fsync, while each write
 * runs in its own savepoint so that one failing write does not undo the others.
 *
 * Several connections may use the file at once (the HTTP thread and the consumer thread). WAL
 * lets them read at any time; writes take turns on SQLite's one write lock. A group commit never
 * blocks its thread waiting for that lock: it tries, and while another connection holds the lock
 * it tries again after a millisecond, meanwhile the event loop goes on and later writes join the
 * group. (SQLite's own busy handler would sleep inside the call and stall every request.)
 */
export class SqliteDatabase {
  readonly db: Database.Database;
  private pending: PendingWrite[] = [];
  private readonly statements = new Map<string, Database.Statement>();
  private readonly controlStatements = new Map<string, Database.Statement>();
  private flushScheduled = false;
  private lockWaitSince: number | undefined;
  private yieldingSince: number | undefined;
  private closed = false;
  private readonly migrations: readonly string[];
  private readonly lockTimeoutMs: number;
  private readonly maxTransactionMs: number;
  private readonly turns: WriteLockTurns | undefined;

  constructor(path: string, options: SqliteOptions = { synchronous: 'FULL' }) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.lockTimeoutMs = options.lockTimeoutMs ?? 5000;
    this.maxTransactionMs = options.maxTransactionMs ?? 10;
    this.turns = options.turns;
    this.migrations = options.migrations ?? MIGRATIONS;
    this.db = new Database(path, { timeout: this.lockTimeoutMs, ...(options.onStatement ? { verbose: (sql: unknown) => options.onStatement!(String(sql)) } : {}) });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous}`);
    // Contacts are keyed by pair and window, so inserts land on random B-tree pages: a large
    // page cache and fewer WAL checkpoints keep those pages in memory between commits.
    this.db.pragma('cache_size = -65536');
    this.db.pragma(`wal_autocheckpoint = ${options.autoCheckpointPages ?? 10_000}`);
    this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  /** Runs `run` inside the next group transaction; resolves once that transaction is committed. */
  write<T>(run: Write<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleFlush();
    });
  }

  /** A prepared statement, compiled once per SQL text. */
  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * The group commit's own statements (BEGIN, COMMIT, ROLLBACK, the busy timeout), kept apart
   * from `statement`, which serves the adapters' SQL.
   */
  private control(sql: string): Database.Statement {
    let statement = this.controlStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.controlStatements.set(sql, statement);
    }
    return statement;
  }

  /** Reads see only committed data, since writes are committed before their promises resolve. */
  read<T>(run: (db: Database.Database) => T): T {
    return run(this.db);
  }

  /** Commits what is pending (waiting for the write lock as long as it must), then closes. */
  close(): void {
    this.flush(true);
    this.closed = true;
    this.db.close();
  }

  private scheduleFlush(delayMs = 0): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (delayMs === 0) setImmediate(() => this.flush(false));
    else setTimeout(() => this.flush(false), delayMs);
  }

  private flush(blocking: boolean): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let locked: boolean;
    try {
      locked = this.begin(blocking);
    } catch (error) {
      if (this.db.inTransaction) this.control('ROLLBACK').run();
      for (const write of batch) write.reject(error);
      return;
    }
    if (!locked) {
      // Another connection is writing: keep the group (and what joins it) for the next try.
      this.pending = batch.concat(this.pending);
      this.scheduleFlush(LOCK_RETRY_MS);
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const deadline = blocking ? Infinity : performance.now() + this.maxTransactionMs;
    try {
      for (const write of batch) {
        try {
          outcomes.push({ ok: true, value: this.db.transaction(write.run)(this.db) });
        } catch (error) {
          outcomes.push({ ok: false, value: error });
        }
        if (performance.now() > deadline) break;
      }
      this.control('COMMIT').run();
    } catch (error) {
      if (this.db.inTransaction) this.control('ROLLBACK').run();
      for (const write of batch) write.reject(error);
      return;
    }
    const rest = batch.slice(outcomes.length);
    if (rest.length > 0) {
      this.pending = rest.concat(this.pending);
      this.scheduleFlush();
    }
    outcomes.forEach((outcome, i) => {
      const write = batch[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.value);
    });
  }

  /**
   * BEGIN IMMEDIATE (the write lock up front: a deferred transaction that read first could not
   * upgrade once another connection wrote). Without `blocking`, false at once while another
   * connection holds the lock, until the lock timeout has passed; then the error is thrown to
   * the waiting writes.
   */
  private begin(blocking: boolean): boolean {
    if (blocking) {
      this.control('BEGIN IMMEDIATE').run();
      return true;
    }
    if (this.lockWaitSince === undefined && this.turns?.othersWaiting()) {
      const since = (this.yieldingSince ??= Date.now());
      if (Date.now() - since < MAX_YIELD_MS) return false;
    }
    this.yieldingSince = undefined;
    this.control('PRAGMA busy_timeout = 0').run();
    try {
      this.control('BEGIN IMMEDIATE').run();
      this.stopWaiting();
      return true;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      if (this.lockWaitSince === undefined) {
        this.lockWaitSince = Date.now();
        this.turns?.startWaiting();
      }
      if (Date.now() - this.lockWaitSince < this.lockTimeoutMs) return false;
      this.stopWaiting();
      throw error;
    } finally {
      this.control(`PRAGMA busy_timeout = ${this.lockTimeoutMs}`).run();
    }
  }

  private stopWaiting(): void {
    if (this.lockWaitSince === undefined) return;
    this.lockWaitSince = undefined;
    this.turns?.stopWaiting();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < this.migrations.length; version++) {
      this.db.transaction(() => {
        this.db.exec(this.migrations[version]!);
        this.db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }
}
