import { describe, expect, it } from 'vitest';
import { checkDuration, durationSchema, formatDuration, parseDuration } from '../../../backend/src/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['900', 900_000],
    ['250ms', 250],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['2w', 1_209_600_000],
    [' 5M ', 300_000],
    ['10 s', 10_000],
    ['0', 0],
  ])('%j → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '-5s', '5 minutes', '1h30m', '1e3', '.5s', '5x', 'NaN', 'Infinity'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('checkDuration', () => {
  const bounds = { min: 1_000, max: 3_600_000 };
  it.each([
    ['0', 'must be 1s to 1h, got "0"'],
    ['0s', 'must be 1s to 1h, got "0s"'],
    ['500ms', 'must be 1s to 1h, got "500ms"'],
    ['2h', 'must be 1s to 1h, got "2h"'],
    ['0.0001', 'must be 1s to 1h, got "0.0001"'],
    ['later', 'not a duration: "later"'],
  ])('%j is refused: %s', (text, message) => {
    const checked = checkDuration(text, bounds);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toContain(message);
  });

  it('accepts 0 only where it has a meaning, and says so', () => {
    expect(checkDuration('0', { ...bounds, zeroMeans: 'off' })).toEqual({ ok: true, ms: 0 });
    const refused = checkDuration('10ms', { ...bounds, zeroMeans: 'off' });
    expect(refused).toEqual({ ok: false, message: 'must be 1s to 1h, or 0 for off, got "10ms"' });
  });

  it('is a zod schema too', () => {
    expect(durationSchema(bounds).parse('15m')).toBe(900_000);
    expect(durationSchema(bounds).safeParse('0').success).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [900_000, '15m'],
    [90_000, '90s'],
    [250, '250ms'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [0, '0ms'],
  ])('%i → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
