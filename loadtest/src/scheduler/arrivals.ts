import type { Random } from './random.js';

export type ArrivalProcess = 'constant' | 'poisson';

/** Offered rate, in events per second, at `elapsedMs` since the start of the run. */
export type RateProfile = (elapsedMs: number) => number;

/** How long to wait before re-checking a stream whose rate is currently zero. */
const IDLE_RECHECK_MS = 50;

/**
 * Generates the times at which events are due under an arrival process, independently of how
 * long anything takes to handle them: this is what makes the load open-loop.
 */
export class ArrivalStream {
  private nextAtMs: number;

  constructor(
    private readonly process: ArrivalProcess,
    private readonly rate: RateProfile,
    private readonly random: Random,
    private readonly startMs: number,
  ) {
    this.nextAtMs = startMs + this.gapMs(0);
  }

  /** Calls `onArrival` with the scheduled time of every arrival due up to `nowMs` (exclusive of later ones). */
  takeDue(nowMs: number, onArrival: (scheduledAtMs: number) => void): number {
    let count = 0;
    // The tolerance stops floating-point drift in summed gaps from pushing the last due arrival out.
    while (this.nextAtMs <= nowMs + 1e-6) {
      const at = this.nextAtMs;
      const rate = this.rate(at - this.startMs);
      if (rate > 0) {
        onArrival(at);
        count++;
      }
      this.nextAtMs = at + this.gapMs(at - this.startMs);
    }
    return count;
  }

  get nextArrivalMs(): number {
    return this.nextAtMs;
  }

  private gapMs(elapsedMs: number): number {
    const rate = this.rate(elapsedMs);
    if (rate <= 0) return IDLE_RECHECK_MS;
    const mean = 1_000 / rate;
    if (this.process === 'constant') return mean;
    // Exponential inter-arrival times make a Poisson process; 1 - u avoids log(0).
    return -Math.log(1 - this.random()) * mean;
  }
}
