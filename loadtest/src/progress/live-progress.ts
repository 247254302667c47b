import cliProgress from 'cli-progress';

export interface ProgressSnapshot {
  elapsedMs: number;
  durationMs: number;
  completed: number;
  failed: number;
  dropped: number;
  inFlight: number;
  waiting: number;
  /** The slowest endpoint's p99 so far. */
  p99Ms: number;
}

export interface ProgressView {
  update(snapshot: ProgressSnapshot): void;
  stop(): void;
}

const TTY_INTERVAL_MS = 250;

/** A live bar on a terminal; on a pipe or CI log, a plain line every few seconds. */
export function createProgress(stream: NodeJS.WriteStream, quiet: boolean): ProgressView {
  if (quiet) return { update: () => {}, stop: () => {} };
  return stream.isTTY ? new TerminalProgress(stream) : new PlainProgress(stream);
}

/** Completions per second, over windows of at least a second so the figure does not jitter. */
class RateMeter {
  private lastMs = 0;
  private lastCompleted = 0;
  private lastRate = 0;

  rate(s: ProgressSnapshot): number {
    const seconds = (s.elapsedMs - this.lastMs) / 1_000;
    if (seconds < 1) return this.lastRate;
    this.lastRate = (s.completed - this.lastCompleted) / seconds;
    this.lastMs = s.elapsedMs;
    this.lastCompleted = s.completed;
    return this.lastRate;
  }
}

class TerminalProgress implements ProgressView {
  private readonly bar: cliProgress.SingleBar;
  private readonly meter = new RateMeter();
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  private started = false;

  constructor(stream: NodeJS.WriteStream) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {percentage}% | {elapsed}/{total}s | {rate} req/s | ok {ok} | err {failed} | drop {dropped} | busy {busy} | slowest p99 {p99} ms',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(s: ProgressSnapshot): void {
    if (s.elapsedMs - this.lastDrawMs < TTY_INTERVAL_MS) return;
    this.lastDrawMs = s.elapsedMs;
    const payload = {
      elapsed: Math.round(s.elapsedMs / 1_000),
      rate: Math.round(this.meter.rate(s)),
      ok: s.completed - s.failed,
      failed: s.failed,
      dropped: s.dropped,
      busy: s.inFlight + s.waiting,
      p99: s.p99Ms.toFixed(1),
    };
    if (!this.started) {
      this.bar.start(Math.round(s.durationMs / 1_000), 0, { ...payload, total: Math.round(s.durationMs / 1_000) });
      this.started = true;
    }
    this.bar.update(Math.min(payload.elapsed, Math.round(s.durationMs / 1_000)), payload);
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

class PlainProgress implements ProgressView {
  private readonly meter = new RateMeter();
  private lastLineMs = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(s: ProgressSnapshot): void {
    const finalLine = s.elapsedMs >= s.durationMs && this.lastLineMs < s.durationMs;
    // About ten lines per run, at least a second and at most ten seconds apart.
    const intervalMs = Math.min(10_000, Math.max(1_000, s.durationMs / 10));
    if (s.elapsedMs - this.lastLineMs < intervalMs && !finalLine) return;
    this.lastLineMs = s.elapsedMs;
    this.stream.write(
      `[${(s.elapsedMs / 1_000).toFixed(0)}s/${(s.durationMs / 1_000).toFixed(0)}s] ${this.meter.rate(s).toFixed(0)} req/s, ` +
        `ok ${s.completed - s.failed}, errors ${s.failed}, dropped ${s.dropped}, in flight ${s.inFlight}, waiting ${s.waiting}, slowest endpoint's p99 ${s.p99Ms.toFixed(1)} ms\n`,
    );
  }

  stop(): void {}
}
