import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { wallClock } from '../../../loadtest/src/scheduler/clock.js';
import { OpenLoopDispatcher, type Completion, type ScheduledRequest } from '../../../loadtest/src/scheduler/dispatcher.js';
import { RateSource } from '../../../loadtest/src/scheduler/event-source.js';
import { seededRandom } from '../../../loadtest/src/scheduler/random.js';
import { runOpenLoop } from '../../../loadtest/src/scheduler/run-loop.js';
import { Recorder } from '../../../loadtest/src/metrics/recorder.js';

/** A request that "takes" `serviceMs` of fake time and then answers 200. */
function slowRequest(scheduledAtMs: number, serviceMs: number, sentAt: number[]): ScheduledRequest {
  return {
    endpoint: 0,
    scheduledAtMs,
    start(done: Completion) {
      sentAt.push(Date.now());
      setTimeout(() => done.complete(this, 200), serviceMs);
    },
  };
}

describe('Class: OpenLoopDispatcher', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it.each([
    // maxInFlight, maxBacklog, submitted, expected dropped
    [2, 2, 5, 1],
    [1, 0, 3, 2],
    [4, 10, 4, 0],
  ])('with %i slots and a backlog of %i, %i simultaneous requests lose %i, counted', async (maxInFlight, maxBacklog, submitted, dropped) => {
    const recorder = new Recorder(['e'], 1_000, 0);
    const d = new OpenLoopDispatcher({ maxInFlight, maxBacklog, lateAfterMs: 10 }, wallClock, recorder);
    const sent: number[] = [];
    for (let i = 0; i < submitted; i++) d.submit(slowRequest(0, 100, sent));
    await vi.advanceTimersByTimeAsync(10_000);
    const stats = recorder.endpoints[0]!;
    expect(stats.offered).toBe(submitted);
    expect(stats.dropped).toBe(dropped);
    expect(stats.completed).toBe(submitted - dropped);
    expect(stats.dropped + stats.completed).toBe(stats.offered);
  });

  it.each([
    [1, 5],
    [3, 2],
  ])('with %i slots, requests still waiting when the run ends (%i) are abandoned and counted', (maxInFlight, waiting) => {
    const recorder = new Recorder(['e'], 1_000, 0);
    const d = new OpenLoopDispatcher({ maxInFlight, maxBacklog: 100, lateAfterMs: 10 }, wallClock, recorder);
    const sent: number[] = [];
    for (let i = 0; i < maxInFlight + waiting; i++) d.submit(slowRequest(0, 100, sent));
    expect(d.abandonBacklog()).toBe(waiting);
    const json = recorder.endpoints[0]!.toJSON(1);
    expect(json.abandoned).toBe(waiting);
    expect(json.sent).toBe(maxInFlight);
  });

  it('measures latency from the scheduled time, so waiting for a slot shows up as latency', async () => {
    const recorder = new Recorder(['e'], 1_000, 0);
    const d = new OpenLoopDispatcher({ maxInFlight: 1, maxBacklog: 10, lateAfterMs: 10 }, wallClock, recorder);
    const sent: number[] = [];
    for (let i = 0; i < 3; i++) d.submit(slowRequest(0, 100, sent));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([0, 100, 200]);
    const stats = recorder.endpoints[0]!;
    expect(stats.latency.summary().max).toBeCloseTo(300, 0);
    expect(stats.latency.percentileMs(0)).toBeCloseTo(100, 0);
    expect(stats.late).toBe(2);
  });
});

describe('Function: runOpenLoop', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it.each([
    [20, 10, 2_000],
    [20, 500, 2_000],
    [50, 1_000, 1_000],
  ])('at %i/s with %i ms responses, sends on schedule regardless of latency (no coordinated omission)', async (rate, serviceMs, durationMs) => {
    const recorder = new Recorder(['e'], 500, 0);
    const d = new OpenLoopDispatcher({ maxInFlight: 1_000, maxBacklog: 1_000, lateAfterMs: 5 }, wallClock, recorder);
    const sent: number[] = [];
    const scheduled: number[] = [];
    const source = new RateSource('constant', () => rate, seededRandom(1), 0, (at) => {
      scheduled.push(at);
      d.submit(slowRequest(at, serviceMs, sent));
    });
    const run = runOpenLoop({ clock: wallClock, sources: [source], durationMs, maxTickMs: 50 });
    await vi.advanceTimersByTimeAsync(durationMs + serviceMs + 100);
    await run;
    expect(scheduled).toHaveLength((rate * durationMs) / 1_000);
    sent.forEach((t, i) => expect(t - scheduled[i]!).toBeLessThanOrEqual(1));
    expect(recorder.endpoints[0]!.late).toBe(0);
    expect(recorder.endpoints[0]!.latency.percentileMs(50)).toBeGreaterThanOrEqual(serviceMs * 0.99);
  });

  it('stops at the duration even when a source has more work', async () => {
    let events = 0;
    const source = new RateSource('constant', () => 1_000, seededRandom(1), 0, () => events++);
    const run = runOpenLoop({ clock: wallClock, sources: [source], durationMs: 300, maxTickMs: 20 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await run).toBe(300);
    expect(events).toBe(300);
  });
});
