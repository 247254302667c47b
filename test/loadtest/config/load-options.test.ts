import { describe, expect, it } from 'vitest';
import { DESIGN_BASELINE } from '../../../loadtest/src/capacity/assumptions.js';
import { computeCapacity } from '../../../loadtest/src/capacity/model.js';
import { parseLoadOptions, type LoadOptions } from '../../../loadtest/src/config/load-options.js';
import { trafficRates } from '../../../loadtest/src/population/traffic-rates.js';
import { resolvePlan } from '../../../loadtest/src/run/resolve-plan.js';
import { SCENARIOS } from '../../../loadtest/src/scenarios/index.js';

const parse = (values: Record<string, unknown>): LoadOptions => {
  const result = parseLoadOptions({ target: 'http://127.0.0.1:3000', ...values });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.options;
};

describe('Function: parseLoadOptions', () => {
  it('reports every bad flag at once, each by name', () => {
    const result = parseLoadOptions({ target: 'ftp://x', scenario: 'nope', 'tokens-per-call': '9', duration: '5x', 'official-phone': '0770' });
    const flags = result.ok ? [] : result.problems.map((p) => p.split(':')[0]);
    expect(flags.sort()).toEqual(['--duration', '--official-phone', '--scenario', '--target', '--tokens-per-call']);
  });

  it('takes its choices in any case, as the backend takes its settings', () => {
    const o = parse({ scenario: 'SMOKE', arrivals: 'Constant' });
    expect([o.scenario, o.arrivals]).toEqual(['smoke', 'constant']);
  });

  it('takes the soak watch: a PID, a comma-separated file list and an interval; refuses a PID that is not one', () => {
    const o = parse({ 'watch-pid': '4242', 'watch-files': 'data/a.sqlite, data/a.sqlite-wal,', 'watch-interval': '10s' });
    expect([o['watch-pid'], o['watch-files'], o['watch-interval']]).toEqual([4242, ['data/a.sqlite', 'data/a.sqlite-wal'], 10_000]);
    expect(parse({})['watch-files']).toEqual([]);
    const bad = parseLoadOptions({ target: 'http://127.0.0.1:3000', 'watch-pid': 'server' });
    expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/^--watch-pid: /)]);
  });

  it('fills defaults when only the target is given', () => {
    const o = parse({});
    expect(o.scenario).toBe('smoke');
    expect(o['tokens-per-call']).toBe(1);
    expect(o.out).toBe('loadtest-results');
  });
});

describe('Function: resolvePlan', () => {
  const full = computeCapacity(DESIGN_BASELINE);

  it.each(Object.keys(SCENARIOS))('scenario %s at scale 1 offers the design\u2019s national upload and registration rates', (scenario) => {
    const plan = resolvePlan(parse({ scenario, scale: '1' }));
    const rates = trafficRates(plan.population);
    expect(rates.uploads).toBeCloseTo(full.uploadTpsBatched, 6);
    expect(rates.tokenCalls).toBeCloseTo(full.registrationTps, 6);
  });

  it.each([
    [100, 0.5],
    [1_000, 0.01],
  ])('with %i devices, --scale %s and the equivalent --compression give the same plan', (devices, scale) => {
    const byScale = resolvePlan(parse({ devices: String(devices), scale: String(scale) }));
    const byCompression = resolvePlan(parse({ devices: String(devices), compression: String(byScale.population.timeCompression) }));
    expect(byCompression.scale).toBeCloseTo(scale, 9);
  });

  it.each([1, 4, 8])('prefetching %i windows per call divides the registration rate accordingly', (count) => {
    const plan = resolvePlan(parse({ scenario: 'national-peak', 'tokens-per-call': String(count) }));
    const single = resolvePlan(parse({ scenario: 'national-peak' }));
    expect(trafficRates(plan.population).tokenCalls * count).toBeCloseTo(trafficRates(single.population).tokenCalls, 6);
  });
});
