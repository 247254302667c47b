import { describe, expect, it } from 'vitest';
import { DESIGN_BASELINE, PROJECT_CHOICES } from '../../../loadtest/src/capacity/assumptions.js';
import { computeMonthlyCost, totalUsd } from '../../../loadtest/src/capacity/cost.js';
import { computeCapacity, type CapacityFigures } from '../../../loadtest/src/capacity/model.js';
import { parseCapacityOptions } from '../../../loadtest/src/capacity/options.js';
import { LIST_PRICES, tieredCost } from '../../../loadtest/src/capacity/prices.js';

const TIB = 2 ** 40;

describe('Capacity model: reproducing the design document', () => {
  const figures = computeCapacity(DESIGN_BASELINE);

  // The design's own figures, as stated in the design; relative tolerance covers its rounding ("~").
  it.each<[string, (f: CapacityFigures) => number, number, number]>([
    ['contacts per day', (f) => f.contactsPerDay, 4.8e9, 0],
    ['unbatched contacts per second over a 12-hour day', (f) => f.uploadTpsUnbatched, 111_111, 0.001],
    ['uploads per second with batches of 50', (f) => f.uploadTpsBatched, 2_222, 0.001],
    ['SQS messages per day', (f) => f.sqsMessagesPerDay, 96e6, 0],
    ['stored contact reports per user per day', (f) => f.storedContactsPerUserPerDay, 50, 0],
    ['storage per year in TiB ("~40 TB")', (f) => f.storageBytesPerYear / TIB, 40, 0.05],
    ['registration TPS with 3-hour tokens ("~4,000/s")', (f) => f.registrationTps, 4_444, 0.001],
  ])('%s', (_name, get, expected, tolerance) => {
    const actual = get(figures);
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * tolerance + 1e-9);
  });
});

describe('Capacity model: what the project choices change', () => {
  it.each([1, 2, 4, 8])('prefetching %i windows per call divides registration TPS by that count', (count) => {
    const one = computeCapacity({ ...DESIGN_BASELINE, tokensPerCall: 1 });
    const many = computeCapacity({ ...DESIGN_BASELINE, tokensPerCall: count });
    expect(many.registrationTps * count).toBeCloseTo(one.registrationTps, 6);
    expect(many.registrationTpsWithoutPrefetch).toBe(one.registrationTpsWithoutPrefetch);
  });

  it.each([7, 21, 365])('retained storage grows linearly with a %i-day retention', (days) => {
    const oneDay = computeCapacity({ ...DESIGN_BASELINE, retentionDays: 1 });
    const many = computeCapacity({ ...DESIGN_BASELINE, retentionDays: days });
    expect(many.retainedBytesBilled).toBeCloseTo(oneDay.retainedBytesBilled * days, 0);
  });

  it('an HTTP API costs less than a REST API for the same traffic', () => {
    const cost = (apiGateway: 'rest' | 'http') => {
      const a = { ...DESIGN_BASELINE, apiGateway };
      return computeMonthlyCost(a, computeCapacity(a), LIST_PRICES).find((c) => c.service.startsWith('API Gateway'));
    };
    expect(cost('http')!.monthlyUsd).toBeLessThan(cost('rest')!.monthlyUsd);
  });

  it('the project profile is cheaper in total than the design baseline', () => {
    const total = (a: typeof DESIGN_BASELINE) => totalUsd(computeMonthlyCost(a, computeCapacity(a), LIST_PRICES));
    expect(total({ ...DESIGN_BASELINE, ...PROJECT_CHOICES })).toBeLessThan(total(DESIGN_BASELINE));
  });
});

describe('Function: tieredCost', () => {
  const tiers = [
    { upTo: 10, price: 2 },
    { upTo: 100, price: 1 },
    { upTo: Number.POSITIVE_INFINITY, price: 0.5 },
  ];
  it.each([
    [0, 0],
    [5, 5 * 2],
    [10, 10 * 2],
    [50, 10 * 2 + 40 * 1],
    [200, 10 * 2 + 90 * 1 + 100 * 0.5],
  ])('%i units cost the sum over tiers', (units, expected) => {
    expect(tieredCost(units, tiers)).toBeCloseTo(expected, 9);
  });
});

describe('Function: parseCapacityOptions', () => {
  it('accepts overrides by flag name and a flat price override', () => {
    const result = parseCapacityOptions({ users: '1000', 'tokens-per-call': '4', price: ['sqsPerMillionRequests=0.5'] });
    expect(result.ok && result.options.overrides).toEqual({ users: 1000, tokensPerCall: 4 });
    expect(result.ok && tieredCost(2, result.options.prices.sqsPerMillionRequests)).toBe(1);
  });

  it('reports every bad flag at once, by name', () => {
    const result = parseCapacityOptions({ users: '-1', 'tokens-per-call': '9', price: ['nope=1'] });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.some((p) => p.startsWith('--users'))).toBe(true);
    expect(problems.some((p) => p.startsWith('--tokens-per-call'))).toBe(true);
    expect(problems.some((p) => p.startsWith('--price nope=1'))).toBe(true);
  });
});

describe('Capacity model: SMS sign-ins', () => {
  it('costs an SMS per device per day without refresh tokens (the design: 48 M a day) and one per 90 days with them', () => {
    const design = computeCapacity(DESIGN_BASELINE);
    const project = computeCapacity({ ...DESIGN_BASELINE, ...PROJECT_CHOICES });
    expect(design.smsPerDay).toBe(48_000_000);
    expect(design.smsPerDevicePerMonth).toBe(30);
    expect(project.smsPerDevicePerMonth).toBeCloseTo(1 / 3, 6);
    expect(project.smsPerDay).toBeCloseTo(48_000_000 / 90, 0);
  });
});
