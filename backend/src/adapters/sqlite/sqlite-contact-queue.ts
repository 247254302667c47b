import { randomUUID } from 'node:crypto';
import type { DeviceNumber } from '../../domain/device.js';
import { ConflictingBatchError, type ContactQueue, type EnqueueResult, type QueueStats } from '../../ports/contact-queue.js';
import type { SqliteDatabase } from './sqlite-database.js';

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  receiveCount: number;
  sentAt: Date;
  firstReceivedAt: Date;
}

export interface SqliteQueueOptions {
  visibilityTimeoutMs: number;
  /** After this many receives without success a message is dead-lettered (SQS's maxReceiveCount). */
  maxReceives: number;
}

/**
 * A durable queue with SQS's semantics in the embedded SQLite file: received messages stay
 * invisible for the visibility timeout and come back unless deleted; a message received
 * `maxReceives` times is moved to the dead-letter table with its reason.
 */
export class SqliteContactQueue implements ContactQueue {
  constructor(
    private readonly store: SqliteDatabase,
    private readonly options: SqliteQueueOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  enqueue(body: string, dedupKey: string, contentHash: string, reporter: DeviceNumber): Promise<EnqueueResult> {
    const at = this.now().getTime();
    return this.store.write(() => {
      const existing = this.store.statement('SELECT content_hash FROM batch_receipts WHERE dedup_key = ?').get(dedupKey) as
        | { content_hash: string }
        | undefined;
      if (existing) {
        if (existing.content_hash !== contentHash) throw new ConflictingBatchError(dedupKey);
        return { enqueued: false };
      }
      this.store.statement('INSERT INTO batch_receipts (dedup_key, content_hash, accepted_at, reporter) VALUES (?, ?, ?, ?)').run(dedupKey, contentHash, at, reporter);
      this.store.statement('INSERT INTO queue_messages (id, body, sent_at, visible_at, reporter) VALUES (?, ?, ?, ?, ?)').run(randomUUID(), body, at, at, reporter);
      return { enqueued: true };
    });
  }

  deadLetter(body: string, reason: string, attempts: number): Promise<void> {
    const at = this.now().getTime();
    return this.store.write(() => {
      this.store.statement('INSERT INTO dead_letters (id, body, reason, attempts, failed_at) VALUES (?, ?, ?, ?, ?)').run(randomUUID(), body, reason, attempts, at);
    });
  }

  /** Receives up to `max` visible messages, dead-lettering those that were received too often. */
  receive(max: number): Promise<ReceivedMessage[]> {
    const at = this.now().getTime();
    return this.store.write(() => {
      const rows = this.store
        .statement('SELECT id, body, sent_at, receive_count, first_received_at FROM queue_messages WHERE visible_at <= ? ORDER BY visible_at LIMIT ?')
        .all(at, max) as { id: string; body: string; sent_at: number; receive_count: number; first_received_at: number | null }[];
      const received: ReceivedMessage[] = [];
      const hide = this.store.statement('UPDATE queue_messages SET visible_at = ?, receive_count = ?, receipt = ?, first_received_at = ? WHERE id = ?');
      for (const row of rows) {
        if (row.receive_count >= this.options.maxReceives) {
          this.moveToDeadLetters(row.id, `not processed after ${row.receive_count} receives (the consumer failed or timed out each time)`);
          continue;
        }
        const receipt = randomUUID();
        const firstReceivedAt = row.first_received_at ?? at;
        hide.run(at + this.options.visibilityTimeoutMs, row.receive_count + 1, receipt, firstReceivedAt, row.id);
        received.push({
          messageId: row.id,
          receiptHandle: receipt,
          body: row.body,
          receiveCount: row.receive_count + 1,
          sentAt: new Date(row.sent_at),
          firstReceivedAt: new Date(firstReceivedAt),
        });
      }
      return received;
    });
  }

  /** Acknowledges messages; a stale receipt (the message was received again since) is ignored, as in SQS. */
  delete(receiptHandles: readonly string[]): Promise<void> {
    return this.store.write(() => {
      const remove = this.store.statement('DELETE FROM queue_messages WHERE receipt = ?');
      for (const handle of receiptHandles) remove.run(handle);
    });
  }

  /** Makes failed messages visible again at once instead of after the visibility timeout. */
  release(receiptHandles: readonly string[]): Promise<void> {
    const at = this.now().getTime();
    return this.store.write(() => {
      const show = this.store.statement('UPDATE queue_messages SET visible_at = ? WHERE receipt = ?');
      for (const handle of receiptHandles) show.run(at, handle);
    });
  }

  async stats(): Promise<QueueStats> {
    const at = this.now().getTime();
    return this.store.read(() => {
      const queue = this.store
        .statement(
          `SELECT sum(visible_at <= ?) AS backlog, sum(visible_at > ?) AS in_flight, min(sent_at) AS oldest FROM queue_messages`,
        )
        .get(at, at) as { backlog: number | null; in_flight: number | null; oldest: number | null };
      const dead = this.store.statement("SELECT count(*) AS n FROM dead_letters WHERE source = 'contacts'").get() as { n: number };
      return {
        backlog: queue.backlog ?? 0,
        inFlight: queue.in_flight ?? 0,
        deadLettered: dead.n,
        oldestAgeSeconds: queue.oldest === null ? 0 : Math.max(0, (at - queue.oldest) / 1000),
      };
    });
  }

  listDeadLetters(): { body: string; reason: string; attempts: number }[] {
    return this.store.read(() => this.store.statement("SELECT body, reason, attempts FROM dead_letters WHERE source = 'contacts' ORDER BY failed_at").all()) as {
      body: string;
      reason: string;
      attempts: number;
    }[];
  }

  forgetReporter(device: DeviceNumber, scrub: (body: string) => string | undefined): Promise<number> {
    return this.store.write(() => {
      this.store.statement('DELETE FROM batch_receipts WHERE reporter = ?').run(device);
      let changed = this.store.statement('DELETE FROM queue_messages WHERE reporter = ?').run(device).changes;
      const rows = this.store.statement("SELECT id, body FROM dead_letters WHERE source = 'contacts'").all() as { id: string; body: string }[];
      const remove = this.store.statement('DELETE FROM dead_letters WHERE id = ?');
      const rewrite = this.store.statement('UPDATE dead_letters SET body = ? WHERE id = ?');
      for (const row of rows) {
        if (reporterOf(row.body) === device) {
          remove.run(row.id);
          changed++;
          continue;
        }
        const scrubbed = scrub(row.body);
        if (scrubbed !== undefined) {
          rewrite.run(scrubbed, row.id);
          changed++;
        }
      }
      return changed;
    });
  }

  purge(receiptsBefore: Date, deadLettersBefore: Date): Promise<{ batchReceipts: number; deadLetters: number }> {
    return this.store.write(() => ({
      batchReceipts: this.store.statement('DELETE FROM batch_receipts WHERE accepted_at < ?').run(receiptsBefore.getTime()).changes,
      deadLetters: this.store.statement('DELETE FROM dead_letters WHERE failed_at < ?').run(deadLettersBefore.getTime()).changes,
    }));
  }

  private moveToDeadLetters(id: string, reason: string): void {
    const row = this.store.statement('SELECT body, receive_count FROM queue_messages WHERE id = ?').get(id) as { body: string; receive_count: number };
    this.store.statement("INSERT INTO dead_letters (id, body, reason, attempts, failed_at, source) VALUES (?, ?, ?, ?, ?, 'contacts')").run(
      id,
      row.body,
      reason,
      row.receive_count,
      this.now().getTime(),
    );
    this.store.statement('DELETE FROM queue_messages WHERE id = ?').run(id);
  }
}

/** The reporter a queued body names, if it parses. */
function reporterOf(body: string): number | undefined {
  try {
    const reporter = (JSON.parse(body) as { batch?: { reporter?: unknown } }).batch?.reporter;
    return typeof reporter === 'number' ? reporter : undefined;
  } catch {
    return undefined;
  }
}
