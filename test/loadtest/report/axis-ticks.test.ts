import { describe, expect, it } from 'vitest';
import { formatTick, linearAxis, logAxis } from '../../../loadtest/src/report/axis-ticks.js';

const is125 = (v: number) => [1, 2, 5].includes(Number((v / 10 ** Math.floor(Math.log10(v))).toPrecision(6)));

describe('Function: logAxis', () => {
  it.each([
    [0.3, 47, 0.2, 50, [0.2, 0.5, 1, 2, 5, 10, 20, 50]],
    [1.2, 1.9, 1, 2, [1, 2]],
    [3, 3, 2, 5, [2, 5]],
    [0.05, 4_000, 0.05, 5_000, [0.05, 0.1, 1, 10, 100, 1_000, 5_000]],
  ])('from %s to %s spans %s … %s with ticks %j', (lo, hi, min, max, ticks) => {
    expect(logAxis(lo, hi)).toEqual({ min, max, ticks });
  });

  it.each([
    [0.013, 870],
    [0.9, 1.1],
    [7, 130_000],
    [150, 151],
  ])('puts every tick of %s … %s on a 1-2-5 value and contains the data', (lo, hi) => {
    const axis = logAxis(lo, hi);
    expect(axis.ticks.every(is125)).toBe(true);
    expect(axis.min).toBeLessThanOrEqual(lo);
    expect(axis.max).toBeGreaterThanOrEqual(hi);
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
  });
});

describe('Function: linearAxis', () => {
  it.each([
    [0, 3, true, [0, 1, 2, 3]],
    [0, 1.2, true, [0, 1, 2]],
    [0, 7, true, [0, 2, 4, 6, 8]],
    [0, 1.2, false, [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2]],
    [0, 1_730, false, [0, 500, 1_000, 1_500, 2_000]],
    [0, 0, true, [0, 1]],
  ])('from %s to %s (integer %s) has ticks %j', (lo, hi, integer, ticks) => {
    expect(linearAxis(lo, hi, { integer }).ticks).toEqual(ticks);
  });

  it('starts at the data when asked not to start at zero', () => {
    expect(linearAxis(12, 40, { fromZero: false, target: 8 }).ticks).toEqual([10, 15, 20, 25, 30, 35, 40]);
  });
});

describe('Function: formatTick', () => {
  it.each([
    [0, '0'],
    [0.2, '0.2'],
    [0.30000000000000004, '0.3'],
    [50, '50'],
    [1_500, '1.5k'],
    [20_000, '20k'],
    [2_000_000, '2M'],
  ])('%s → %s', (v, text) => expect(formatTick(v)).toBe(text));
});
