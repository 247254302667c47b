import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../../backend/src/adapters/sqlite/sqlite-database.js';
import { WriteLockTurns } from '../../../backend/src/adapters/sqlite/write-lock-turns.js';

/**
 * Two connections to one file, as the HTTP thread and the consumer thread have: a group commit
 * that finds the write lock taken waits without blocking its event loop, says so to the other
 * connection, and commits once the lock is free; past the lock timeout its writes fail.
 */
describe('SQLite file shared by two connections', () => {
  let dir: string;
  let opened: SqliteDatabase[];
  const open = (options: Partial<ConstructorParameters<typeof SqliteDatabase>[1]> = {}) => {
    const db = new SqliteDatabase(join(dir, 'shared.sqlite'), { synchronous: 'NORMAL', ...options });
    opened.push(db);
    return db;
  };
  const turns = () => new Promise<void>((resolve) => setImmediate(resolve));
  const countOf = (db: SqliteDatabase) => (db.read((d) => d.prepare('SELECT count(*) AS n FROM t').get()) as { n: number }).n;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'proxitrace-shared-'));
    opened = [];
  });
  afterEach(() => {
    for (const db of opened) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the other connection’s write lock without blocking the event loop, then commits', async () => {
    const shared = new WriteLockTurns();
    const http = open({ turns: shared, lockTimeoutMs: 60_000 });
    const consumer = open({ turns: new WriteLockTurns(shared.buffer) });
    http.db.exec('CREATE TABLE t (n INTEGER)');
    consumer.db.exec('BEGIN IMMEDIATE');
    consumer.db.prepare('INSERT INTO t VALUES (1)').run();

    let written = false;
    const write = http.write((d) => d.prepare('INSERT INTO t VALUES (2)').run()).then(() => (written = true));
    // The event loop goes on meanwhile: these turns run while the write waits for the lock.
    let loopTurns = 0;
    while (!new WriteLockTurns(shared.buffer).othersWaiting()) {
      await turns();
      loopTurns++;
    }
    expect(loopTurns).toBeGreaterThan(0);
    expect(written).toBe(false);

    consumer.db.exec('COMMIT');
    await write;
    expect(countOf(http)).toBe(2);
    // Done waiting: the other connection no longer lets the lock go by for it.
    expect(shared.othersWaiting()).toBe(false);
  });

  it('fails the waiting writes once the lock timeout has passed, and writes again after', async () => {
    const http = open({ lockTimeoutMs: 30 });
    const consumer = open();
    http.db.exec('CREATE TABLE t (n INTEGER)');
    consumer.db.exec('BEGIN IMMEDIATE');
    await expect(http.write((d) => d.prepare('INSERT INTO t VALUES (1)').run())).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    consumer.db.exec('ROLLBACK');
    await http.write((d) => d.prepare('INSERT INTO t VALUES (2)').run());
    expect(countOf(consumer)).toBe(1);
  });

  it('lets the lock go by while the other connection waits, for a bounded time', async () => {
    const shared = new WriteLockTurns();
    const http = open({ turns: shared });
    http.db.exec('CREATE TABLE t (n INTEGER)');
    // The other connection says it waits and never takes the lock (as a thread that died waiting).
    new WriteLockTurns(shared.buffer).startWaiting();
    const started = performance.now();
    await http.write((d) => d.prepare('INSERT INTO t VALUES (1)').run());
    // It yielded first (50 ms at most, a busier machine only makes it later), then wrote anyway.
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(countOf(http)).toBe(1);
  });
});
