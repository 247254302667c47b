import { describe, expect, it } from 'vitest';
import { ObservationCache, toWire, type Observation } from '../../../device-bridge/src/core/observation-cache.js';
import { tokenBytes } from '../support/builders.js';

const MIN = 60_000;

function setup(options: ConstructorParameters<typeof ObservationCache>[1] = {}) {
  const finished: Observation[] = [];
  const cache = new ObservationCache((f) => finished.push(...f), { idleMs: 5 * MIN, maxDurationMs: 180 * MIN, maxEntries: 1000, ...options });
  const sight = (n: number, rssi: number, at: number) => cache.sight(tokenBytes(n), 0, rssi, at);
  return { cache, finished, sight };
}

describe('ObservationCache', () => {
  it('extends one observation when a token is seen again (de-duplication)', () => {
    const { cache, sight } = setup();
    sight(1, -70, 1000);
    sight(1, -50, 2000);
    sight(1, -90, 3000);
    expect(cache.size).toBe(1);
    const obs = cache.get(tokenBytes(1).toString('base64url'))!;
    expect(obs).toMatchObject({ firstSeen: 1000, lastSeen: 3000, count: 3, rssiMax: -50, rssiMin: -90, rssiSum: -210 });
  });

  it('keeps distinct tokens apart', () => {
    const { cache, sight } = setup();
    for (let n = 0; n < 100; n++) sight(n, -60, n);
    expect(cache.size).toBe(100);
  });

  it.each([
    ['idle for the idle timeout', [0, 60_000], 60_000 + 5 * MIN, 1],
    ['idle just under the timeout', [0, 60_000], 60_000 + 5 * MIN - 1, 0],
    ['seen continuously past the token lifetime', Array.from({ length: 181 }, (_, i) => i * MIN), 180 * MIN, 1],
  ])('finishes an observation %s', (_name, sightings, sweepAt, expectedFinished) => {
    const { cache, finished, sight } = setup();
    for (const t of sightings) sight(1, -60, t);
    cache.sweep(sweepAt);
    expect(finished).toHaveLength(expectedFinished);
    expect(cache.size).toBe(1 - expectedFinished);
  });

  it('starts a new observation after the previous one finished', () => {
    const { cache, finished, sight } = setup();
    sight(1, -60, 0);
    cache.sweep(10 * MIN);
    sight(1, -60, 11 * MIN);
    expect(finished).toHaveLength(1);
    expect(cache.get(tokenBytes(1).toString('base64url'))?.firstSeen).toBe(11 * MIN);
  });

  it('is bounded: beyond maxEntries the earliest-opened observation is finished early', () => {
    const { cache, finished, sight } = setup({ maxEntries: 3 });
    for (let n = 0; n < 5; n++) sight(n, -60, n);
    expect(cache.size).toBe(3);
    expect(finished.map((o) => o.firstSeen)).toEqual([0, 1]);
    expect(cache.evictedForCapacity).toBe(2);
  });

  it('finishAll hands every open observation over', () => {
    const { cache, finished, sight } = setup();
    sight(1, -60, 0);
    sight(2, -60, 0);
    expect(cache.finishAll()).toBe(2);
    expect(finished).toHaveLength(2);
    expect(cache.size).toBe(0);
  });

  it('restores a checkpoint so a restart continues the same observations', () => {
    const a = setup();
    a.sight(1, -60, 0);
    a.sight(1, -40, 1000);
    const b = setup();
    b.cache.restore(a.cache.checkpoint());
    b.sight(1, -50, 2000);
    expect(b.cache.get(tokenBytes(1).toString('base64url'))).toMatchObject({ firstSeen: 0, lastSeen: 2000, count: 3, rssiMax: -40 });
  });

  it.each([
    [-40, -40],
    [-200, -127],
    [30, 20],
  ])('sends the strongest RSSI, clamped to the API range (%i → %i)', (rssi, expected) => {
    const { cache, finished, sight } = setup();
    sight(1, rssi, 0);
    cache.finishAll();
    expect(toWire(finished[0]!)).toEqual({ token: tokenBytes(1).toString('base64url'), firstSeen: new Date(0).toISOString(), lastSeen: new Date(0).toISOString(), rssi: expected, rssiMean: expected, sightings: 1 });
  });

  it('sends the mean RSSI and the number of sightings beside the strongest (API v1.1)', () => {
    const { cache, finished, sight } = setup();
    sight(1, -40, 0);
    sight(1, -80, 1000);
    sight(1, -75, 2000);
    cache.finishAll();
    expect(toWire(finished[0]!)).toMatchObject({ rssi: -40, rssiMean: -65, sightings: 3 });
  });
});
