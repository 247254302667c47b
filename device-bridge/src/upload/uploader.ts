import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { OutboxStore } from '../ports/outbox-store.js';
import type { ContactsApi, DropCounts } from '../ports/token-api.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';

export type UploadEvent =
  | { type: 'uploaded'; batchId: string; observations: number; attempts: number; dropped: DropCounts; clipped: number }
  | { type: 'retry_scheduled'; batchId: string; attempts: number; delayMs: number; reason: string }
  | { type: 'dead_lettered'; batchId: string; reason: string };

export interface UploaderOptions {
  clock?: Clock;
  random?: () => number;
  backoff?: BackoffOptions;
  onEvent?: (event: UploadEvent) => void;
}

/**
 * Drains the outbox, one batch in flight at a time. A batch keeps its batchId across retries so the
 * backend stores it once; transient failures (network, 5xx, 408, 429, 401 after re-auth) back off
 * exponentially with jitter for as long as it takes; a permanent 4xx dead-letters the batch on disk.
 */
export class Uploader {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly onEvent: (event: UploadEvent) => void;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private draining: Promise<void> | undefined;
  private wakeRequested = false;
  lastUploadAt: number | undefined;
  lastError: string | undefined;
  /** Observations the backend accepted the batch of but did not keep, by reason, since start. */
  readonly dropped: Record<string, number> = {};

  constructor(
    private readonly store: OutboxStore,
    private readonly api: ContactsApi,
    options: UploaderOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.onEvent = options.onEvent ?? (() => {});
  }

  /** Tries the next due batch once (with `ignoreSchedule`, the oldest batch even if backing off). */
  async uploadNext(ignoreSchedule = false): Promise<'idle' | 'uploaded' | 'retry' | 'dead'> {
    const batch = this.store.nextDueBatch(ignoreSchedule ? Number.MAX_SAFE_INTEGER : this.clock.now());
    if (batch === undefined) return 'idle';
    const outcome = await this.api.postContacts(batch.batchId, batch.observations);
    const attempts = batch.attempts + 1;
    switch (outcome.kind) {
      case 'accepted':
        this.store.markSent(batch.batchId);
        this.lastUploadAt = this.clock.now();
        this.lastError = undefined;
        for (const [reason, n] of Object.entries(outcome.dropped)) this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
        this.onEvent({ type: 'uploaded', batchId: batch.batchId, observations: batch.observations.length, attempts, dropped: outcome.dropped, clipped: outcome.clipped });
        return 'uploaded';
      case 'permanent':
        this.store.markDead(batch.batchId, outcome.reason);
        this.lastError = outcome.reason;
        this.onEvent({ type: 'dead_lettered', batchId: batch.batchId, reason: outcome.reason });
        return 'dead';
      case 'retry': {
        const delayMs = Math.max(backoffDelay(attempts, this.random, this.backoff), outcome.retryAfterMs ?? 0);
        this.store.markRetry(batch.batchId, attempts, this.clock.now() + delayMs, outcome.reason);
        this.lastError = outcome.reason;
        this.onEvent({ type: 'retry_scheduled', batchId: batch.batchId, attempts, delayMs, reason: outcome.reason });
        return 'retry';
      }
    }
  }

  /**
   * Uploads every due batch; stops at the first failure (the backend is likely down for all).
   * `ignoreSchedule` (shutdown) also tries batches still backing off: one last chance before exit.
   */
  async drain(ignoreSchedule = false): Promise<void> {
    for (;;) {
      const result = await this.uploadNext(ignoreSchedule);
      if (result === 'idle' || result === 'retry') return;
    }
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  /** Call when a batch was sealed; starts a drain unless one is running (then it runs again after). */
  wake(): void {
    if (!this.running) return;
    if (this.draining) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.draining = this.drain()
      .catch((err: unknown) => {
        this.lastError = String(err);
      })
      .finally(() => {
        this.draining = undefined;
        if (this.wakeRequested) {
          this.wakeRequested = false;
          this.wake();
        } else this.schedule();
      });
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.draining;
  }

  private schedule(): void {
    if (!this.running) return;
    const next = this.store.nextAttemptAt();
    if (next === undefined) return;
    const delay = Math.max(0, next - this.clock.now());
    this.timer = setTimeout(() => this.wake(), Math.min(delay, 2 ** 31 - 1));
    this.timer.unref?.();
  }
}
