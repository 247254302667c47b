import { ArrivalStream, type ArrivalProcess, type RateProfile } from './arrivals.js';
import type { Random } from './random.js';

/** Anything that produces work at scheduled times: a rate-driven stream, a simulated population. */
export interface EventSource {
  /** Handles every event due up to `nowMs`. */
  pump(nowMs: number): void;
  /** When the next event is due, so the loop can sleep until then. */
  nextDueMs(): number;
}

/** Calls `onEvent(scheduledAtMs)` at the times an arrival process produces. */
export class RateSource implements EventSource {
  private readonly stream: ArrivalStream;

  constructor(
    process: ArrivalProcess,
    rate: RateProfile,
    random: Random,
    startMs: number,
    private readonly onEvent: (scheduledAtMs: number) => void,
  ) {
    this.stream = new ArrivalStream(process, rate, random, startMs);
  }

  pump(nowMs: number): void {
    this.stream.takeDue(nowMs, this.onEvent);
  }

  nextDueMs(): number {
    return this.stream.nextArrivalMs;
  }
}
