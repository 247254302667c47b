import { describe, expect, it } from 'vitest';
import { exposureCausedBy } from '../../../backend/src/domain/exposure/exposure.js';
import { infectiousFrom, isNotifiable, maxNotifiedDegree, probabilityAtDegree } from '../../../backend/src/domain/exposure/exposure-policy.js';
import { addToFront, dominates, warningState } from '../../../backend/src/domain/exposure/exposure-state.js';
import { warningAfter } from '../../../backend/src/domain/exposure/notification.js';
import { aContact, anInterval, aState, DAY, defaultPolicy, msBefore, NOW } from '../../support/builders.js';

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
  ])('infectious from: %s', (_name, onset, msBeforeNow) => {
    expect(infectiousFrom(defaultPolicy(), NOW, onset).getTime()).toBe(NOW.getTime() - msBeforeNow);
  });
});

describe('who an encounter exposes', () => {
  const policy = defaultPolicy();
  const index = aState(1, 0, 60 * 24);
  const caused = (source: ReturnType<typeof aState>, intervals: ReturnType<typeof anInterval>[], other = 2) =>
    exposureCausedBy(source, other, intervals, policy, NOW)?.state;

  it('gives the other device the next degree, exposed from the start of the qualifying encounter', () => {
    expect(caused(index, aContact(1, 2, 30, 10).intervals)).toEqual({ caseId: 'case-1', device: 2, degree: 1, exposedAt: msBefore(30) });
  });

  it('counts only the part of an encounter after the source was exposed', () => {
    const source = aState(2, 1, 30); // exposed 30 minutes ago
    expect(caused(source, aContact(2, 3, 60, 10).intervals, 3)).toEqual({ caseId: 'case-1', device: 3, degree: 2, exposedAt: msBefore(30) });
    expect(caused(source, aContact(2, 3, 60, 20).intervals, 3)).toBeUndefined(); // 10 minutes after
    expect(caused(source, aContact(2, 3, 90, 31).intervals, 3)).toBeUndefined(); // all of it before
  });

  it("ignores encounters after the index case's infectious period", () => {
    const isolated = aState(1, 0, 60 * 24, 'case-1', msBefore(40));
    expect(caused(isolated, aContact(1, 2, 30, 0).intervals)).toBeUndefined();
  });

  it('ignores encounters older than the lookback', () => {
    expect(caused(aState(1, 0, 20 * 24 * 60), aContact(1, 2, 15 * 24 * 60, 15 * 24 * 60 - 30).intervals)).toBeUndefined();
  });

  it("stops at the policy's cut-off: the last notified degree passes nothing on", () => {
    expect(caused(aState(2, 2, 60), aContact(2, 3, 30, 0).intervals, 3)).toBeUndefined();
  });

  it('takes the earliest qualifying encounter, not the earliest sighting', () => {
    const intervals = [anInterval('low', 300, 295), anInterval('low', 100, 80)];
    expect(caused(index, intervals)?.exposedAt).toBe(msBefore(100));
  });
});

describe('exposure states and warnings', () => {
  const policy = defaultPolicy();

  it('keeps the Pareto front: a short late chain and a long early one both stay', () => {
    const late1 = aState(5, 1, 100);
    const early2 = aState(5, 2, 500);
    const front = addToFront(addToFront([], late1)!, early2)!;
    expect(front).toEqual([late1, early2]);
    expect(addToFront(front, aState(5, 2, 400))).toBeUndefined(); // later and no shorter than early2
    expect(addToFront(front, aState(5, 1, 600))).toEqual([aState(5, 1, 600)]); // beats both
    expect(dominates(late1, early2)).toBe(false);
    expect(warningState(front)).toEqual(late1);
  });

  it('issues a warning once, raises it when a shorter chain appears, and never warns the index case', () => {
    const id = () => 'w1';
    const issued = warningAfter(undefined, [aState(5, 2, 500)], policy, NOW, id);
    expect(issued).toMatchObject({ kind: 'issued', notification: { id: 'w1', degree: 2, issuedAt: NOW } });
    expect(issued!.notification.probability).toBeCloseTo(1 / 9);
    expect(warningAfter(issued!.notification, [aState(5, 2, 600)], policy, NOW, id)).toBeUndefined();
    const later = new Date(NOW.getTime() + 1000);
    const raised = warningAfter(issued!.notification, [aState(5, 1, 100), aState(5, 2, 500)], policy, later, id);
    expect(raised).toMatchObject({ kind: 'raised', previousDegree: 2, notification: { id: 'w1', degree: 1, issuedAt: NOW, updatedAt: later } });
    expect(warningAfter(undefined, [aState(1, 0, 100)], policy, NOW, id)).toBeUndefined();
  });
});
