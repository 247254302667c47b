import type { Session } from '../auth/session.js';
import type { HttpTarget } from '../http/http-target.js';
import type { Clock } from '../scheduler/clock.js';
import { sleep } from '../scheduler/run-loop.js';

/** GET /v1/admin/stats, as the API documents it. */
export interface ServerStats {
  queue: { backlog: number; inFlight: number; deadLettered: number; oldestAgeSeconds: number };
  batchesProcessed: number;
  observationsProcessed: number;
  contactsStored: number;
}

export interface QueueSample {
  seconds: number;
  backlog: number;
  inFlight: number;
  deadLettered: number;
  oldestAgeSeconds: number;
}

/** Samples the server's queue while the load runs, where the target exposes it (officials only). */
export class QueueObserver {
  readonly samples: QueueSample[] = [];
  failures = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly target: HttpTarget,
    private readonly official: Session,
    private readonly clock: Clock,
    private readonly runStartMs: number,
  ) {}

  async read(): Promise<ServerStats | undefined> {
    try {
      const response = await this.target.json<ServerStats>('GET', '/v1/admin/stats', undefined, this.official.authorization);
      if (response.status === 200 && typeof response.body?.queue?.backlog === 'number') return response.body;
    } catch {
      // Counted below: a target under heavy load may refuse the observer too.
    }
    this.failures++;
    return undefined;
  }

  start(intervalMs: number): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const stats = await this.read();
        if (stats) this.samples.push({ seconds: (this.clock.now() - this.runStartMs) / 1_000, ...stats.queue });
        await sleep(intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Waits (bounded) until the queue is empty; returns the stats then and the seconds it took, or undefined on timeout. */
  async waitForDrain(timeoutMs: number, pollMs: number): Promise<{ stats: ServerStats; seconds: number } | undefined> {
    const started = this.clock.now();
    while (this.clock.now() - started <= timeoutMs) {
      const stats = await this.read();
      if (stats) {
        this.samples.push({ seconds: (this.clock.now() - this.runStartMs) / 1_000, ...stats.queue });
        if (stats.queue.backlog === 0 && stats.queue.inFlight === 0) return { stats, seconds: (this.clock.now() - started) / 1_000 };
      }
      await sleep(pollMs);
    }
    return undefined;
  }
}
