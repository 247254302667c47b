import { describe, expect, it } from 'vitest';
import { DUPLICATE_TOLERANCE, duplicateOutlook, expectedDuplicateFraction } from '../../../loadtest/src/population/duplicate-outlook.js';
import { DEFAULT_POPULATION } from '../../../loadtest/src/population/population-config.js';
import { duplicateWarning } from '../../../loadtest/src/report/duplicate-warning.js';

const config = (devices: number, duplicateFraction = 0.5) => ({ ...DEFAULT_POPULATION, devices, duplicateFraction });

describe('Function: expectedDuplicateFraction', () => {
  it.each([
    [20, 0.75, 0.9],
    [500, 0.5, 0.55],
    [10_000, 0.45, 0.55],
  ])('with %i devices and 50%% modelled, expects between %s and %s', (devices, lo, hi) => {
    const f = expectedDuplicateFraction(config(devices));
    expect(f).toBeGreaterThan(lo);
    expect(f).toBeLessThan(hi);
  });

  it('falls as the population grows, towards the modelled share', () => {
    const shares = [20, 50, 100, 200, 1_000].map((n) => expectedDuplicateFraction(config(n)));
    expect([...shares].sort((a, b) => b - a)).toEqual(shares);
  });
});

describe('Function: duplicateOutlook', () => {
  it('warns for the smoke scenario\u2019s 20 devices and names a population that reaches the modelled share', () => {
    const o = duplicateOutlook(config(20));
    expect(o.tooSmall).toBe(true);
    expect(o.devicesNeeded).toBeGreaterThan(20);
    expect(expectedDuplicateFraction(config(o.devicesNeeded!)) - 0.5).toBeLessThanOrEqual(DUPLICATE_TOLERANCE);
    expect(duplicateWarning(20, o)).toMatch(/^20 devices are too few for 50% duplicates: each meets at most 19 others a simulated day, .* about \d+% .*; use --devices \d+ or more/);
  });

  it.each([500, 5_000])('does not warn for %i devices', (devices) => {
    expect(duplicateOutlook(config(devices))).toMatchObject({ tooSmall: false, modelled: 0.5 });
  });
});
