import { describe, expect, it } from 'vitest';
import { bootstrapMean, seedOf } from '../../../backend/src/domain/analytics/epidemiology/statistics.js';

/**
 * The analytics store on SQLite and on a search engine return the same records in different
 * orders: R from the traced chains must not depend on it (the embedded stack gives the same answers).
 */
describe('the bootstrap interval of a mean', () => {
  // Secondary cases per index case in one cell: overdispersed, as offspring are.
  const offspring = [0, 0, 3, 1, 0, 2, 0, 0, 5, 1, 0, 0.5, 1.5, 0, 2];

  it('is the same for the same values in any order', () => {
    const seed = seedOf('1767571200000|all');
    const asGiven = bootstrapMean(offspring, seed);
    for (const order of [[...offspring].reverse(), [...offspring].sort((a, b) => b - a), [...offspring.slice(7), ...offspring.slice(0, 7)]]) {
      expect(bootstrapMean(order, seed)).toEqual(asGiven);
    }
    expect(asGiven.low).toBeLessThan(asGiven.value);
    expect(asGiven.high).toBeGreaterThan(asGiven.value);
  });
});
