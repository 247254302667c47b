import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../loadtest/src/metrics/latency-histogram.js';
import { Recorder } from '../../../loadtest/src/metrics/recorder.js';

describe('Class: Recorder', () => {
  it('gives the slowest endpoint\u2019s p99 live, never below the p99 over all requests', () => {
    const recorder = new Recorder(['fast', 'slow', 'idle'], 1_000, 0);
    const all = new LatencyHistogram();
    for (let i = 1; i <= 1_000; i++) {
      for (const [endpoint, ms] of [[0, i / 100], [1, i]] as const) {
        recorder.completed(endpoint, ms, 200, undefined);
        all.record(ms);
      }
    }
    expect(recorder.slowestP99Ms()).toBeCloseTo(990, -1);
    expect(recorder.slowestP99Ms()).toBeGreaterThanOrEqual(all.percentileMs(99));
  });

  it('is 0 before anything completed', () => {
    expect(new Recorder(['a'], 1_000, 0).slowestP99Ms()).toBe(0);
  });
});
