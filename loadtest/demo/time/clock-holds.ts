import type { SharedClock } from './shared-clock.js';

/**
 * Moves the town's clock, but never while work that is checked against it is under way: an
 * official's sign-in makes an authenticator code for the town's current 30 s step and the backend
 * checks it on the same clock, so a minute passing in between would refuse a good code.
 */
export class ClockHolds {
  private readonly holds = new Set<Promise<unknown>>();

  constructor(private readonly clock: SharedClock) {}

  /** Keeps the clock where it is until `work` settles. */
  hold<T>(work: Promise<T>): Promise<T> {
    this.holds.add(work);
    const release = () => this.holds.delete(work);
    work.then(release, release);
    return work;
  }

  /** Sets the clock once nothing holds it, including holds taken while waiting. */
  async moveTo(epochMs: number): Promise<void> {
    while (this.holds.size > 0) await Promise.allSettled([...this.holds]);
    this.clock.set(epochMs);
  }
}
