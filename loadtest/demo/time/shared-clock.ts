/**
 * The town's time, shared by the simulator and the backend's thread: one 64-bit slot of a
 * SharedArrayBuffer holding epoch milliseconds. The simulator moves it step by step; the backend
 * reads it wherever it would read the wall clock, so a few days pass in a couple of minutes.
 */
export class SharedClock {
  private readonly slot: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.slot = new BigInt64Array(buffer);
  }

  now(): number {
    return Number(Atomics.load(this.slot, 0));
  }

  set(epochMs: number): void {
    Atomics.store(this.slot, 0, BigInt(Math.floor(epochMs)));
  }

  /** The backend's Clock type: a Date of the shared time. */
  readonly date = (): Date => new Date(this.now());
}
