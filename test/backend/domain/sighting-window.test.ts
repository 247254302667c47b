import { describe, expect, it } from 'vitest';
import { checkSighting } from '../../../backend/src/domain/contacts/sighting-window.js';
import type { TokenPlaintext } from '../../../backend/src/domain/tokens/token-layout.js';
import { DAY, MIN, NOW } from '../../support/builders.js';

/** A token of device 7 for the 3-hour window that began 60 minutes before NOW. */
const windowStart = NOW.getTime() - 60 * MIN;
const token: TokenPlaintext = { device: 7, windowStartMinute: windowStart / MIN, windowMinutes: 180, keyId: 1 };
const rules = { graceMs: 15 * MIN, maxSightingAgeMs: 14 * DAY };
const at = (minutesFromWindowStart: number) => new Date(windowStart + minutesFromWindowStart * MIN);
const observation = (from: number, to: number) => ({ token: 't', firstSeen: at(from), lastSeen: at(to) });

describe("a sighting against its token's window", () => {
  it('keeps a sighting inside the window as it is', () => {
    expect(checkSighting(observation(10, 50), token, 1, NOW, rules)).toEqual({ kept: true, clipped: false, observation: observation(10, 50) });
  });

  it('keeps a sighting within the grace on either side as it is', () => {
    expect(checkSighting(observation(-15, 195), token, 1, NOW, rules)).toMatchObject({ kept: true, clipped: false });
  });

  it('clips a lastSeen days after the window to the window’s end plus grace', () => {
    const result = checkSighting(observation(170, 3 * 24 * 60), token, 1, NOW, rules);
    expect(result).toEqual({ kept: true, clipped: true, observation: { ...observation(170, 195) } });
  });

  it('clips a firstSeen long before the window to its start minus grace', () => {
    expect(checkSighting(observation(-600, 20), token, 1, NOW, rules)).toEqual({ kept: true, clipped: true, observation: observation(-15, 20) });
  });

  it.each([
    ['wholly after the window', observation(200, 240), 'outside_window'],
    ['wholly before the window', observation(-120, -20), 'outside_window'],
  ])('drops a sighting %s', (_name, o, reason) => {
    expect(checkSighting(o, token, 1, NOW, rules)).toEqual({ kept: false, reason });
  });

  it('drops a token no key verifies, the reporter’s own token, and a sighting older than the lookback', () => {
    expect(checkSighting(observation(10, 20), undefined, 1, NOW, rules)).toEqual({ kept: false, reason: 'unknown_token' });
    expect(checkSighting(observation(10, 20), token, 7, NOW, rules)).toEqual({ kept: false, reason: 'self_contact' });
    const later = new Date(NOW.getTime() + 15 * DAY);
    expect(checkSighting(observation(10, 20), token, 1, later, rules)).toEqual({ kept: false, reason: 'too_old' });
  });
});
