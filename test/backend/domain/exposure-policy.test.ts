import { describe, expect, it } from 'vitest';
import { infectiousFrom, isNotifiable, maxNotifiedDegree, probabilityAtDegree } from '../../../backend/src/domain/exposure/exposure-policy.js';
import { exposuresCausedBy } from '../../../backend/src/domain/exposure/exposure.js';
import { encountersOf } from '../../../backend/src/domain/exposure/encounter.js';
import { aContact, anExposure, DAY, defaultPolicy, minutesBefore, NOW } from '../../support/builders.js';

describe('probability policy', () => {
  it.each([
    // hop, min, deepest notified degree
    [1 / 3, 0.1, 2],
    [1 / 3, 1 / 9, 2],
    [1 / 3, 0.12, 1],
    [1 / 3, 1 / 27, 3],
    [0.5, 0.1, 3],
    [0.5, 0.5, 1],
    [0.9, 0.5, 6],
  ])('hop %d with minimum %d notifies down to degree %d', (hopProbability, minNotifyProbability, deepest) => {
    const policy = defaultPolicy({ hopProbability, minNotifyProbability });
    expect(maxNotifiedDegree(policy)).toBe(deepest);
    expect(isNotifiable(policy, deepest)).toBe(true);
    expect(isNotifiable(policy, deepest + 1)).toBe(false);
  });

  it('never notifies degree 0 (the index case itself)', () => {
    expect(isNotifiable(defaultPolicy(), 0)).toBe(false);
  });

  it('multiplies probability per hop', () => {
    expect(probabilityAtDegree(defaultPolicy(), 2)).toBeCloseTo(1 / 9);
  });

  it.each([
    ['no onset: the whole lookback', undefined, 14 * DAY],
    ['onset 3 days ago: 2 days before it', new Date(NOW.getTime() - 3 * DAY), 5 * DAY],
    ['onset 20 days ago: capped at the lookback', new Date(NOW.getTime() - 20 * DAY), 14 * DAY],
  ])('infectious from: %s', (_name, onset, msBefore) => {
    expect(infectiousFrom(defaultPolicy(), NOW, onset).getTime()).toBe(NOW.getTime() - msBefore);
  });
});

describe('which encounters expose', () => {
  const index = anExposure(1, 0, 60 * 24);
  it.each([
    ['15 minutes exactly', aContact(1, 2, 30, 15), true],
    ['14 minutes', aContact(1, 2, 30, 16), false],
    ['RSSI at the threshold', aContact(1, 2, 30, 0, { maxRssi: -75 }), true],
    ['RSSI below the threshold', aContact(1, 2, 30, 0, { maxRssi: -76 }), false],
    ['no RSSI measured', aContact(1, 2, 30, 0, { maxRssi: undefined }), true],
    ['outside the lookback', aContact(1, 2, 15 * 24 * 60, 15 * 24 * 60 - 30), false],
  ])('%s → %s', (_name, contact, exposes) => {
    expect(exposuresCausedBy(index, [contact], defaultPolicy(), NOW).map((e) => e.device)).toEqual(exposes ? [2] : []);
  });

  it('joins records of one pair split by a token rotation into one encounter', () => {
    const split = [aContact(1, 2, 20, 10), aContact(1, 2, 9, 2)];
    expect(encountersOf(1, split, 5 * 60_000)).toHaveLength(1);
    expect(exposuresCausedBy(index, split, defaultPolicy(), NOW)).toHaveLength(1);
    const apart = [aContact(1, 2, 40, 30), aContact(1, 2, 20, 10)];
    expect(exposuresCausedBy(index, apart, defaultPolicy(), NOW)).toHaveLength(0);
  });

  it('counts for a later degree only the part of an encounter after the source was exposed', () => {
    const source = anExposure(2, 1, 30); // exposed 30 minutes ago
    expect(exposuresCausedBy(source, [aContact(2, 3, 60, 10)], defaultPolicy(), NOW)).toEqual([
      { caseId: 'case-1', device: 3, degree: 2, exposedAt: minutesBefore(30) },
    ]);
    expect(exposuresCausedBy(source, [aContact(2, 3, 60, 20)], defaultPolicy(), NOW)).toEqual([]); // 10 minutes after
    expect(exposuresCausedBy(source, [aContact(2, 3, 90, 31)], defaultPolicy(), NOW)).toEqual([]); // before exposure
  });

  it('ignores contacts that do not involve the source', () => {
    expect(exposuresCausedBy(index, [aContact(5, 6, 60, 0)], defaultPolicy(), NOW)).toEqual([]);
  });
});
