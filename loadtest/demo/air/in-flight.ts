import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Remembers the device work still running (HTTP calls, relay sessions), so a step of the town
 * ends only once everything it started has finished: the same seed then gives the same uploads
 * at the same simulated minutes, however fast the machine is.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  started = 0;
  failed = 0;

  track<T>(work: Promise<T>): Promise<T> {
    this.started++;
    this.running.add(work);
    work.then(
      () => this.running.delete(work),
      () => {
        this.failed++;
        this.running.delete(work);
      },
    );
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when nothing runs, including what finishing work started in turn. */
  async settled(): Promise<void> {
    for (;;) {
      await nextTurn();
      if (this.running.size === 0) return;
      await Promise.allSettled([...this.running]);
    }
  }
}
