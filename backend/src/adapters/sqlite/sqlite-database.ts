import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './schema.js';

export interface SqliteOptions {
  /** FULL fsyncs every commit (survives power loss); NORMAL only survives a process crash. */
  synchronous: 'FULL' | 'NORMAL';
  /** The schema's steps; the operational schema unless another file (the analytics store) has its own. */
  migrations?: readonly string[];
}

type Write<T> = (db: Database.Database) => T;

interface PendingWrite {
  run: Write<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded default's single SQLite file (WAL mode), with group commit: writes requested
 * during one turn of the event loop share one transaction and so one fsync, while each write
 * runs in its own savepoint so that one failing write does not undo the others.
 */
export class SqliteDatabase {
  readonly db: Database.Database;
  private pending: PendingWrite[] = [];
  private readonly statements = new Map<string, Database.Statement>();
  private flushScheduled = false;
  private closed = false;
  private readonly migrations: readonly string[];

  constructor(path: string, options: SqliteOptions = { synchronous: 'FULL' }) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.migrations = options.migrations ?? MIGRATIONS;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    // Contacts are keyed by pair and window, so inserts land on random B-tree pages: a large
    // page cache and fewer WAL checkpoints keep those pages in memory between commits.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  /** Runs `run` inside the next group transaction; resolves once that transaction is committed. */
  write<T>(run: Write<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
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

  /** Reads see only committed data, since writes are committed before their promises resolve. */
  read<T>(run: (db: Database.Database) => T): T {
    return run(this.db);
  }

  close(): void {
    this.flush();
    this.closed = true;
    this.db.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      // IMMEDIATE takes the write lock up front: a deferred transaction that read first could
      // not upgrade if another connection (a CLI, a second process) wrote meanwhile.
      this.db
        .transaction(() => {
          for (const write of batch) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(write.run)(this.db) });
            } catch (error) {
              outcomes.push({ ok: false, value: error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.value);
    });
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
