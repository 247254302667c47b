/**
 * Maps the run's clock to simulated time (compressed) and to wall-clock time (real, for the timestamps
 * the API sees: tokens are valid in real time, so observations must be stamped in real time too).
 */
export class SimulatedTime {
  constructor(
    private runStartMs: number,
    private wallAtStartMs: number,
    readonly compression: number,
  ) {}

  /** Re-anchors simulated time zero when the timed run begins (set-up happens before it). */
  startAt(runStartMs: number, wallAtStartMs: number): void {
    this.runStartMs = runStartMs;
    this.wallAtStartMs = wallAtStartMs;
  }

  simMs(clockMs: number): number {
    return (clockMs - this.runStartMs) * this.compression;
  }

  clockMsForSim(simMs: number): number {
    return this.runStartMs + simMs / this.compression;
  }

  wallMs(clockMs: number): number {
    return this.wallAtStartMs + (clockMs - this.runStartMs);
  }
}
