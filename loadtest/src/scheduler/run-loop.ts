import type { Clock } from './clock.js';
import type { EventSource } from './event-source.js';

export interface RunLoopOptions {
  clock: Clock;
  sources: EventSource[];
  /** Hard bound: no event scheduled after start + durationMs is produced. */
  durationMs: number;
  /** Longest sleep between pumps, so progress and time slices stay fresh. */
  maxTickMs: number;
  onTick?: (nowMs: number) => void;
  signal?: AbortSignal;
}

/** Pumps every source until the duration is over (or the signal aborts). Returns the elapsed time. */
export async function runOpenLoop(options: RunLoopOptions): Promise<number> {
  const { clock, sources, durationMs, maxTickMs } = options;
  const startMs = clock.now();
  const endMs = startMs + durationMs;
  for (;;) {
    const nowMs = Math.min(clock.now(), endMs);
    for (const source of sources) source.pump(nowMs);
    options.onTick?.(nowMs);
    if (nowMs >= endMs || options.signal?.aborted) return nowMs - startMs;
    let wakeMs = Math.min(endMs, nowMs + maxTickMs);
    for (const source of sources) wakeMs = Math.min(wakeMs, source.nextDueMs());
    await sleep(Math.max(0, wakeMs - clock.now()));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
