import { describe, expect, it } from 'vitest';
import { ArrivalStream, type ArrivalProcess } from '../../../loadtest/src/scheduler/arrivals.js';
import { seededRandom } from '../../../loadtest/src/scheduler/random.js';

function arrivalsOver(process: ArrivalProcess, rate: (ms: number) => number, durationMs: number, seed = 1): number[] {
  const stream = new ArrivalStream(process, rate, seededRandom(seed), 0);
  const times: number[] = [];
  stream.takeDue(durationMs, (t) => times.push(t));
  return times;
}

describe('Class: ArrivalStream', () => {
  it.each([
    [10, 1_000],
    [100, 1_000],
    [2_500, 2_000],
  ])('constant arrivals at %i/s over %i ms are evenly spaced and exact in count', (rate, durationMs) => {
    const times = arrivalsOver('constant', () => rate, durationMs);
    expect(times).toHaveLength(Math.floor((rate * durationMs) / 1_000));
    const gap = 1_000 / rate;
    times.forEach((t, i) => expect(t).toBeCloseTo((i + 1) * gap, 6));
  });

  it.each([
    [200, 10_000, 1],
    [1_000, 10_000, 2],
    [5_000, 4_000, 3],
  ])('Poisson arrivals at %i/s over %i ms match the rate within 4 standard deviations (seed %i)', (rate, durationMs, seed) => {
    const times = arrivalsOver('poisson', () => rate, durationMs, seed);
    const expected = (rate * durationMs) / 1_000;
    expect(Math.abs(times.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
    // Exponential gaps: the standard deviation is close to the mean (coefficient of variation ≈ 1).
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('follows a rate profile: nothing while the rate is zero, then the new rate', () => {
    const times = arrivalsOver('constant', (ms) => (ms < 500 ? 0 : 100), 1_500);
    expect(times.every((t) => t >= 500)).toBe(true);
    expect(times.length).toBeGreaterThanOrEqual(95);
    expect(times.length).toBeLessThanOrEqual(101);
  });

  it('hands out each arrival exactly once across successive calls', () => {
    const stream = new ArrivalStream('constant', () => 100, seededRandom(1), 0);
    const first: number[] = [];
    const second: number[] = [];
    stream.takeDue(505, (t) => first.push(t));
    stream.takeDue(1_000, (t) => second.push(t));
    expect(first.length + second.length).toBe(100);
    expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
  });
});
