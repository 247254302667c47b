import { describe, expect, it } from 'vitest';
import { contactsFor, peakObservationsPerSecond, storedContactsPerUserDay, usersFor } from '../../../../backend/bench/scale/design-population.js';
import { CRITERIA, diskAllows, judgeLevel, sizingLimit, type LevelMeasure } from '../../../../backend/bench/scale/sizing-limit.js';

const level = (storedContacts: number, overrides: Partial<LevelMeasure> = {}): LevelMeasure => ({
  storedContacts,
  observationsPerSecond: 10_000,
  tracingSeconds: 1,
  notificationsP99Ms: 5,
  bytesOnDisk: storedContacts * 300,
  ...overrides,
});

describe('the design population, scaled to a store', () => {
  it('stores 50 contacts per user and day: 100 observations, half of them the other side of an encounter', () => {
    expect(storedContactsPerUserDay()).toBe(50);
  });

  it.each([
    [1_050_000, 21, 1000],
    [50_000_000, 21, 50_000_000 / 1050],
    [7_000_000, 14, 10_000],
  ])('%i contacts over %i days are %d users', (contacts, days, users) => {
    expect(usersFor(contacts, days)).toBeCloseTo(users, 9);
    expect(contactsFor(users, days)).toBeCloseTo(contacts, 6);
  });

  it('48 M users upload 111,111 observations a second in their 12 active hours (the national peak)', () => {
    expect(peakObservationsPerSecond(48_000_000)).toBeCloseTo(111_111.1, 1);
    expect(peakObservationsPerSecond(43_200)).toBeCloseTo(100, 9);
  });
});

describe('the sizing limit from measured levels', () => {
  it('judges a level against its own population: the consumer must keep up with their peak', () => {
    const verdict = judgeLevel(level(1_050_000, { observationsPerSecond: 2.3 }), 21);
    expect(verdict.users).toBeCloseTo(1000, 9);
    expect(verdict.neededObservationsPerSecond).toBeCloseTo(2.3148, 4);
    expect(verdict.failed).toEqual(['insert']);
    expect(judgeLevel(level(1_050_000, { observationsPerSecond: 2.4 }), 21).failed).toEqual([]);
  });

  it.each([
    [{ tracingSeconds: CRITERIA.tracingSeconds + 0.1 }, ['tracing']],
    [{ notificationsP99Ms: CRITERIA.notificationsP99Ms + 1 }, ['notifications']],
    [{ tracingSeconds: 31, notificationsP99Ms: 250, observationsPerSecond: 0 }, ['insert', 'tracing', 'notifications']],
    [{ tracingSeconds: CRITERIA.tracingSeconds, notificationsP99Ms: CRITERIA.notificationsP99Ms }, []],
  ])('criteria %j fail %j', (overrides, failed) => {
    expect(judgeLevel(level(10_000_000, overrides), 21).failed).toEqual(failed);
  });

  it('is the largest measured size when every size passed, and says it is a lower bound', () => {
    const limit = sizingLimit([level(10_500_000), level(1_050_000), level(52_500_000)], 21);
    expect(limit).toMatchObject({ contacts: 52_500_000, userDays: 1_050_000, atLeast: true, failedAt: undefined, bytesPerContact: 300 });
    expect(limit.usersByDays).toEqual([
      { days: 7, users: 150_000 },
      { days: 14, users: 75_000 },
      { days: 21, users: 50_000 },
    ]);
  });

  it('stops below the first size that failed, even if a larger one passed again', () => {
    const limit = sizingLimit([level(1_050_000), level(10_500_000, { notificationsP99Ms: 140 }), level(52_500_000)], 21);
    expect(limit).toMatchObject({ contacts: 1_050_000, atLeast: false, failedAt: { storedContacts: 10_500_000, failed: ['notifications'] } });
  });

  it('is zero when the smallest size failed', () => {
    expect(sizingLimit([level(1_000_000, { tracingSeconds: 60 })], 14)).toMatchObject({ contacts: 0, userDays: 0, atLeast: false });
  });

  it('checks the disk for the growth to the next level, with a quarter to spare', () => {
    expect(diskAllows(10_000_000, 50_000_000, 300, 15e9)).toEqual({ ok: true, neededBytes: 15e9 });
    expect(diskAllows(10_000_000, 50_000_000, 300, 14.9e9)).toEqual({ ok: false, neededBytes: 15e9 });
  });
});
