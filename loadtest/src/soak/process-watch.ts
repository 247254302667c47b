import type { Clock } from '../scheduler/clock.js';
import { sleep } from '../scheduler/run-loop.js';
import { leastSquaresSlope } from './least-squares-slope.js';
import type { ProcessProbe } from './process-probe.js';

export interface ProcessSample {
  seconds: number;
  rssBytes: number;
  /** Bytes per watched file, in the order of --watch-files. */
  fileBytes: number[];
}

export interface GrowthFigures {
  startBytes: number;
  endBytes: number;
  maxBytes: number;
  /** Least-squares slope over the whole run. */
  slopeBytesPerHour: number;
  /** Over the second half only: warm-up (JIT, caches, pools) no longer counts, a leak still does. */
  lateSlopeBytesPerHour: number;
}

export interface ProcessWatchResult {
  pid: number;
  samples: ProcessSample[];
  rss: GrowthFigures;
  files: ({ path: string } & GrowthFigures)[];
  /** The process was gone at some sample (the server exited or crashed during the run). */
  exited: boolean;
}

/**
 * Samples the server process's memory and the sizes of its files while a run lasts (a soak's leak and
 * growth check). It needs the server on this machine: --watch-pid is the PID `npm start` printed.
 */
export class ProcessWatch {
  readonly samples: ProcessSample[] = [];
  private exited = false;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly pid: number,
    private readonly files: readonly string[],
    private readonly probe: ProcessProbe,
    private readonly clock: Clock,
    private readonly runStartMs: number,
  ) {}

  /** Takes one sample now; false when the process is gone. */
  sample(): boolean {
    const rssBytes = this.probe.rssBytes(this.pid);
    if (rssBytes === undefined) {
      this.exited = true;
      return false;
    }
    this.samples.push({ seconds: (this.clock.now() - this.runStartMs) / 1_000, rssBytes, fileBytes: this.files.map((f) => this.probe.fileBytes(f)) });
    return true;
  }

  start(intervalMs: number): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running && this.sample()) await sleep(intervalMs);
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  result(): ProcessWatchResult {
    const growth = (values: number[]): GrowthFigures => {
      const points = this.samples.map((s, i): [number, number] => [s.seconds / 3_600, values[i]!]);
      const halfHours = (this.samples.at(-1)?.seconds ?? 0) / 3_600 / 2;
      const late = points.filter(([hours]) => hours >= halfHours);
      return {
        startBytes: values[0] ?? 0,
        endBytes: values.at(-1) ?? 0,
        maxBytes: Math.max(0, ...values),
        slopeBytesPerHour: leastSquaresSlope(points),
        lateSlopeBytesPerHour: leastSquaresSlope(late),
      };
    };
    return {
      pid: this.pid,
      samples: this.samples,
      rss: growth(this.samples.map((s) => s.rssBytes)),
      files: this.files.map((path, f) => ({ path, ...growth(this.samples.map((s) => s.fileBytes[f]!)) })),
      exited: this.exited,
    };
  }
}
