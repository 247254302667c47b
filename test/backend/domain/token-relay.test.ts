import { describe, expect, it } from 'vitest';
import { relayedWindows } from '../../../backend/src/domain/exposure/token-relay.js';
import { aContact } from '../../support/builders.js';

const rules = { maxReportersPerWindow: 5, maxSpeedKmh: 300, slackKm: 0.5 };
/** Device `other` heard device 1's token, at `location`. */
const heard = (other: number, from: number, to: number, location?: { lat: number; lon: number }) => ({ ...aContact(other, 1, from, to), location });
const LONDON = { lat: 51.507, lon: -0.128 };
const NEARBY = { lat: 51.508, lon: -0.127 };
const MANCHESTER = { lat: 53.48, lon: -2.242 };

describe('relayed or replayed tokens', () => {
  it('passes a token heard by a few devices in one place', () => {
    expect(relayedWindows(1, [heard(2, 30, 10, LONDON), heard(3, 30, 10, NEARBY), heard(4, 25, 5)], rules)).toEqual([]);
  });

  it('flags a window in which more devices heard the token than the policy allows', () => {
    const crowd = [2, 3, 4, 5, 6, 7].map((d) => heard(d, 30, 10));
    expect(relayedWindows(1, crowd, rules)).toEqual([{ windowStartMinute: crowd[0]!.windowStartMinute, reason: 'too_many_reporters', reporters: 6 }]);
  });

  it('flags a token heard at the same time in two cities, but not in two cities hours apart', () => {
    const [flag] = relayedWindows(1, [heard(2, 30, 10, LONDON), heard(3, 30, 10, MANCHESTER)], rules);
    expect(flag).toMatchObject({ reason: 'impossible_travel', reporters: 2 });
    // 262 km in 3 hours is 87 km/h: a train, not a relay (same window: 170 minutes apart).
    expect(relayedWindows(1, [heard(2, 179, 178, LONDON), heard(3, 2, 1, MANCHESTER)], rules)).toEqual([]);
  });

  it("counts only what others heard of the device's own token", () => {
    // Device 1 hearing six others is device 1 in a crowd, not its token being relayed.
    const itHeard = [2, 3, 4, 5, 6, 7].map((d) => aContact(1, d, 30, 10));
    expect(relayedWindows(1, itHeard, rules)).toEqual([]);
  });
});
