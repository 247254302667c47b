import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../../backend/src/adapters/sqlite/sqlite-database.js';
import { StatementCounter } from '../../../backend/bench/statement-counter.js';

describe('counting the statements a connection runs (SqliteOptions.onStatement)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proxitrace-statements-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sees every statement of a group commit and of a read, and counts only while started', async () => {
    const seen: string[] = [];
    const counter = new StatementCounter();
    const db = new SqliteDatabase(join(dir, 'counted.sqlite'), {
      synchronous: 'NORMAL',
      onStatement: (sql) => {
        seen.push(sql);
        counter.onStatement(sql);
      },
    });
    db.db.exec('CREATE TABLE t (n INTEGER)');
    await db.write((d) => d.prepare('INSERT INTO t VALUES (?)').run(1));
    counter.start();
    await Promise.all([1, 2].map((n) => db.write((d) => d.prepare('UPDATE t SET n = n + ?').run(n))));
    await db.write((d) => d.prepare('INSERT INTO t VALUES (?)').run(7));
    db.read((d) => d.prepare('SELECT sum(n) AS s FROM t').get());
    db.read((d) => d.prepare('WITH x AS (SELECT n FROM t) SELECT count(*) FROM x').get());
    await db.write((d) => d.prepare('DELETE FROM t WHERE n = ?').run(7));
    counter.stop();
    db.read((d) => d.prepare('SELECT 1').get());
    db.close();

    expect(seen).toContain('INSERT INTO t VALUES (1.0)');
    expect(seen).toContain('BEGIN IMMEDIATE');
    expect(seen).toContain('SELECT 1');
    expect(counter.counts).toMatchObject({ select: 2, insert: 1, update: 2, delete: 1 });
    // The group commits' BEGIN, COMMIT and savepoints, and the busy-timeout pragmas around them.
    expect(counter.counts.other).toBeGreaterThanOrEqual(6);
    expect(counter.queries).toBe(6);
  });
});
