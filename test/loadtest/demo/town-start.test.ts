import { describe, expect, it } from 'vitest';
import { FIXED_TOWN_START, townStartAfter } from '../../../loadtest/demo/town/town-start.js';

describe('when the town starts', () => {
  it('on the embedded backend: a fixed Monday midnight', () => {
    expect(new Date(FIXED_TOWN_START).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(new Date(FIXED_TOWN_START).getUTCDay()).toBe(1);
  });

  it('on a backend whose TTLs run on the wall clock: the first Monday midnight after now', () => {
    const monday = Date.UTC(2026, 11, 7);
    expect(townStartAfter(Date.UTC(2026, 11, 2, 7, 3))).toBe(monday);
    expect(townStartAfter(Date.UTC(2026, 11, 6, 23, 59))).toBe(monday);
    expect(townStartAfter(monday), 'a Monday midnight itself is not after now').toBe(Date.UTC(2026, 11, 14));
    expect(townStartAfter(monday + 1)).toBe(Date.UTC(2026, 11, 14));
    for (let day = 0; day < 14; day++) {
      const now = Date.UTC(2027, 0, 1) + day * 86_400_000 + 12 * 3_600_000;
      const start = townStartAfter(now);
      expect(new Date(start).getUTCDay()).toBe(1);
      expect(start).toBeGreaterThan(now);
      expect(start - now).toBeLessThanOrEqual(7 * 86_400_000);
    }
  });
});
