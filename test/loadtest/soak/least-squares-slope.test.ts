import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leastSquaresSlope } from '../../../loadtest/src/soak/least-squares-slope.js';

describe('Function: leastSquaresSlope', () => {
  it('recovers the slope of any straight line', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 50 }), (a, b, n) => {
        const points = Array.from({ length: n }, (_, i): [number, number] => [i * 0.5, a * i * 0.5 + b]);
        expect(leastSquaresSlope(points)).toBeCloseTo(a, 3);
      }),
    );
  });

  it('fits through noise: a flat series with one spike has a small slope, growth after warm-up a positive one', () => {
    expect(leastSquaresSlope([[0, 10], [1, 10], [2, 30], [3, 10], [4, 10]])).toBe(0);
    expect(leastSquaresSlope([[0, 0], [1, 1], [2, 2], [3, 4]])).toBeCloseTo(1.3, 10);
  });

  it('is 0 without two distinct x', () => {
    expect(leastSquaresSlope([])).toBe(0);
    expect(leastSquaresSlope([[1, 5]])).toBe(0);
    expect(leastSquaresSlope([[1, 5], [1, 9]])).toBe(0);
  });
});
