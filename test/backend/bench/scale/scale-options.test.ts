import { describe, expect, it } from 'vitest';
import { DEFAULT_LEVELS, parseLevels, parseScaleArgs, QUICK } from '../../../../backend/bench/scale/scale-options.js';

describe('bench:scale arguments', () => {
  it('defaults to 1 M, 10 M and 50 M contacts over 21 days', () => {
    expect(parseScaleArgs([])).toEqual({
      options: { levels: DEFAULT_LEVELS, days: 21, uploads: 4000, polls: 300, seed: 1, fillCacheMb: 1024, dataDir: undefined, keep: false, out: 'bench-results' },
    });
    expect(DEFAULT_LEVELS).toEqual([1_000_000, 10_000_000, 50_000_000]);
  });

  it.each([
    ['1e6,10e6,50e6', [1_000_000, 10_000_000, 50_000_000]],
    ['200k, 1M', [200_000, 1_000_000]],
    ['1.5M,2500000', [1_500_000, 2_500_000]],
  ])('--levels %s', (text, levels) => {
    expect(parseLevels(text)).toEqual(levels);
    expect(parseScaleArgs(['--levels', text])).toMatchObject({ options: { levels } });
  });

  it.each([
    ['10e6,1e6', /must ascend: 1000000 comes after 10000000/],
    ['1e6,,2e6', /"" is not a whole number/],
    ['1.5', /"1.5" is not a whole number/],
    ['-5', /"-5" is not a whole number/],
    ['lots', /"lots" is not a whole number/],
  ])('refuses --levels %s', (text, message) => {
    expect(() => parseLevels(text)).toThrow(message);
    const parsed = parseScaleArgs([`--levels=${text}`]);
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  it('--quick is a small level set with shorter phases; explicit flags still win', () => {
    expect(parseScaleArgs(['--quick'])).toMatchObject({ options: { levels: [...QUICK.levels], uploads: QUICK.uploads, polls: QUICK.polls } });
    expect(parseScaleArgs(['--quick', '--levels', '300k', '--polls', '20'])).toMatchObject({ options: { levels: [300_000], uploads: QUICK.uploads, polls: 20 } });
  });

  it.each([
    [['--days', '0'], /--days must be a whole number of at least 1, got "0"/],
    [['--uploads', 'x'], /--uploads must be a whole number/],
    [['--no-such-flag'], /Unknown option '--no-such-flag'; see --help/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseScaleArgs(argv);
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  it('--help asks for the usage', () => {
    expect(parseScaleArgs(['--levels', '1e6', '--help'])).toEqual({ help: true });
  });
});
