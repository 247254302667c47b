import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteContactQueue } from '../../../backend/src/adapters/sqlite/sqlite-contact-queue.js';
import { SqliteDatabase } from '../../../backend/src/adapters/sqlite/sqlite-database.js';
import { NOW } from '../../support/builders.js';

/** The consumer side of the embedded queue: SQS's visibility timeout and redrive, on SQLite. */
describe('SqliteContactQueue receive semantics', () => {
  let dir: string;
  let db: SqliteDatabase;
  let now: Date;
  let queue: SqliteContactQueue;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'proxitrace-queue-'));
    db = new SqliteDatabase(join(dir, 'q.sqlite'));
    now = NOW;
    queue = new SqliteContactQueue(db, { visibilityTimeoutMs: 30_000, maxReceives: 2 }, () => now);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const advance = (ms: number) => (now = new Date(now.getTime() + ms));

  it('hides a received message until its visibility timeout, then delivers it again', async () => {
    await queue.enqueue('m1', 'k1', 'h', 1);
    const [first] = await queue.receive(10);
    expect(first).toMatchObject({ body: 'm1', receiveCount: 1 });
    expect(await queue.receive(10)).toEqual([]);
    expect(await queue.stats()).toMatchObject({ backlog: 0, inFlight: 1 });
    advance(30_000);
    const [second] = await queue.receive(10);
    expect(second).toMatchObject({ messageId: first!.messageId, receiveCount: 2 });
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
  });

  it('deletes by the latest receipt only', async () => {
    await queue.enqueue('m1', 'k1', 'h', 1);
    const [first] = await queue.receive(10);
    advance(30_000);
    const [second] = await queue.receive(10);
    await queue.delete([first!.receiptHandle]);
    expect((await queue.stats()).inFlight).toBe(1);
    await queue.delete([second!.receiptHandle]);
    expect(await queue.stats()).toMatchObject({ backlog: 0, inFlight: 0 });
  });

  it('dead-letters a message received too often, with the reason', async () => {
    await queue.enqueue('poison', 'k1', 'h', 1);
    await queue.receive(10);
    advance(30_000);
    await queue.receive(10);
    advance(30_000);
    expect(await queue.receive(10)).toEqual([]);
    expect(queue.listDeadLetters()).toEqual([{ body: 'poison', attempts: 2, reason: expect.stringContaining('not processed after 2 receives') }]);
  });

  it('delivers oldest first and at most the requested number', async () => {
    for (let i = 0; i < 5; i++) {
      await queue.enqueue(`m${i}`, `k${i}`, 'h', 1);
      advance(1);
    }
    expect((await queue.receive(3)).map((m) => m.body)).toEqual(['m0', 'm1', 'm2']);
    expect((await queue.receive(3)).map((m) => m.body)).toEqual(['m3', 'm4']);
  });

  it('keeps accepted messages across a reopen of the file', async () => {
    await queue.enqueue('durable', 'k1', 'h', 1);
    db.close();
    db = new SqliteDatabase(join(dir, 'q.sqlite'));
    queue = new SqliteContactQueue(db, { visibilityTimeoutMs: 30_000, maxReceives: 2 }, () => now);
    expect((await queue.receive(1)).map((m) => m.body)).toEqual(['durable']);
  });
});
