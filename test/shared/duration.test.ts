import { describe, expect, it } from 'vitest';
import { durationProblem, durationSchema, formatDuration, parseDuration } from '../../shared/duration.js';

describe('Function: parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
    ['900', 900_000],
    ['0', 0],
    [' 15 m ', 900_000],
    ['10S', 10_000],
    ['1MS', 1],
    ['1.5ms', 2],
  ])('%j is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 's', '5x', '-1s', '1e3', '1,5s', '5 mins', '.5s', '5s5'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('Function: formatDuration', () => {
  it.each([
    [3_600_000, '1h'],
    [90_000, '90s'],
    [900_000, '15m'],
    [1_500, '1500ms'],
    [0, '0s'],
  ])('%i ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([1, 250, 1_000, 59_000, 60_000, 5_400_000, 86_400_000])('round-trips %i ms', (ms) => expect(parseDuration(formatDuration(ms))).toBe(ms));
});

describe('Function: durationProblem', () => {
  it.each([
    ['0', {}, '0s is out of range: use a duration from 1ms to 1m'],
    ['2m', {}, '2m is out of range: use a duration from 1ms to 1m'],
    ['soon', {}, 'not a duration: "soon" (use 250ms, 90s, 15m, 1.5h or a bare number of seconds)'],
    ['0', { minMs: 0 }, undefined],
    ['1m', {}, undefined],
  ])('%j within %o: %s', (text, bounds, problem) => expect(durationProblem(text, { maxMs: 60_000, ...bounds })).toBe(problem));
});

describe('Function: durationSchema', () => {
  it('turns text into milliseconds and refuses what is out of bounds', () => {
    const schema = durationSchema({ minMs: 100, maxMs: 10_000 });
    expect(schema.parse('2.5s')).toBe(2_500);
    expect(schema.safeParse('50ms').error?.issues[0]?.message).toBe('50ms is out of range: use a duration from 100ms to 10s');
  });
});
