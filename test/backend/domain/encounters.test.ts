import { describe, expect, it } from 'vitest';
import { encountersOf, firstQualifyingEncounter } from '../../../backend/src/domain/exposure/encounter.js';
import { anInterval, defaultProximity, msBefore } from '../../support/builders.js';

const policy = defaultProximity();
const qualifies = (intervals: Parameters<typeof firstQualifyingEncounter>[0], p = policy) => firstQualifyingEncounter(intervals, p) !== undefined;

/** RSSI (at the default 0 dBm TX power) in each bucket of the default thresholds 55/65/75 dB. */
const IMMEDIATE = -50;
const NEAR = -60;
const MEDIUM = -70;
const FAR = -85;

describe('encounters, as they happened', () => {
  it('two short meetings hours apart in one window do not qualify; one continuous meeting of the same total does', () => {
    const twoShort = [anInterval('low', 150, 140), anInterval('low', 20, 10)];
    expect(encountersOf(twoShort, policy).map((e) => e.weightedMinutes)).toEqual([10, 10]);
    expect(qualifies(twoShort)).toBe(false);
    expect(qualifies([anInterval('low', 30, 10)])).toBe(true);
  });

  it('a brief strong signal does not make a long weak one qualify', () => {
    const longWeak = anInterval('low', 90, 0, { rssi: FAR, rssiMax: IMMEDIATE });
    const briefStrong = anInterval('high', 50, 48, { rssi: IMMEDIATE });
    const [encounter] = encountersOf([longWeak, briefStrong], policy);
    expect(encounter!.minutesByBucket).toEqual([2, 0, 0, 88, 0]);
    expect(encounter!.weightedMinutes).toBe(3);
    expect(qualifies([longWeak, briefStrong])).toBe(false);
  });

  it('counts time seen by both sides once, not twice', () => {
    const both = [anInterval('low', 20, 10), anInterval('high', 20, 10)];
    expect(encountersOf(both, policy).map((e) => e.weightedMinutes)).toEqual([10]);
    expect(qualifies(both)).toBe(false);
  });

  it.each([
    ['15 minutes near', [anInterval('low', 15, 0, { rssi: NEAR })], true],
    ['14 minutes near', [anInterval('low', 14, 0, { rssi: NEAR })], false],
    ['10 minutes immediate (weight 1.5)', [anInterval('low', 10, 0, { rssi: IMMEDIATE })], true],
    ['29 minutes medium (weight 0.5)', [anInterval('low', 29, 0, { rssi: MEDIUM })], false],
    ['30 minutes medium', [anInterval('low', 30, 0, { rssi: MEDIUM })], true],
    ['three hours far away (weight 0)', [anInterval('low', 180, 0, { rssi: FAR })], false],
    ['15 minutes without a measured signal (weight 1)', [anInterval('low', 15, 0, { rssi: undefined, rssiMax: undefined })], true],
  ])('%s → %s', (_name, intervals, expected) => {
    expect(qualifies(intervals)).toBe(expected);
  });

  it('measures attenuation from the advertised TX power and the receivers’ correction', () => {
    const quiet = anInterval('low', 10, 0, { rssi: -60, txPower: -10 }); // 50 dB: immediate
    expect(encountersOf([quiet], policy)[0]!.minutesByBucket[0]).toBe(10);
    expect(encountersOf([anInterval('low', 10, 0, { rssi: -60 })], { ...policy, rssiCorrectionDb: 8 })[0]!.minutesByBucket[0]).toBe(10);
  });

  it('a measured signal beats none where both sides overlap', () => {
    const unmeasured = anInterval('low', 30, 0, { rssi: undefined });
    const far = anInterval('high', 30, 0, { rssi: FAR });
    expect(qualifies([unmeasured, far])).toBe(false);
  });

  it('bridges a token rotation (a few seconds) and gaps up to ENCOUNTER_GAP_MINUTES, but not longer ones', () => {
    const rotation = [anInterval('low', 20, 10), { ...anInterval('low', 10, 2), start: msBefore(10) + 30_000 }];
    expect(encountersOf(rotation, policy)).toHaveLength(1);
    expect(qualifies(rotation)).toBe(true);
    const fiveMinutes = [anInterval('low', 20, 12), anInterval('low', 7, 0)];
    expect(encountersOf(fiveMinutes, policy).map((e) => e.weightedMinutes)).toEqual([20]);
    const sixMinutes = [anInterval('low', 20, 12), anInterval('low', 6, 0)];
    expect(encountersOf(sixMinutes, policy)).toHaveLength(2);
  });

  it('counts only the time inside [from, until)', () => {
    const long = [anInterval('low', 60, 0)];
    expect(encountersOf(long, policy, msBefore(20))[0]!.weightedMinutes).toBe(20);
    expect(encountersOf(long, policy, msBefore(60), msBefore(50))[0]!.weightedMinutes).toBe(10);
    expect(encountersOf(long, policy, msBefore(-1))).toEqual([]);
  });

  it('a single sighting joins an encounter but adds no time of its own', () => {
    const single = { ...anInterval('low', 8, 8), sightings: 1 };
    const [e] = encountersOf([anInterval('low', 20, 10), single], policy);
    expect(e!.end).toBe(msBefore(8));
    expect(e!.weightedMinutes).toBe(12);
  });
});
