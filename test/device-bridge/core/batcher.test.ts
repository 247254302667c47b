import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../device-bridge/src/core/batcher.js';
import { MemoryOutbox } from '../../../device-bridge/src/outbox/memory-outbox.js';
import { observations } from '../support/builders.js';

const MIN = 60_000;

function setup() {
  const store = new MemoryOutbox();
  let id = 0;
  const batcher = new Batcher(store, { flushMaxAgeMs: 15 * MIN, newBatchId: () => `batch-${++id}` });
  return { store, batcher };
}

describe('Batcher', () => {
  it.each([
    [49, 0, 49],
    [50, 1, 0],
    [51, 1, 1],
    [120, 2, 20],
  ])('with %i observations seals %i full batch(es) and keeps %i pending', (count, batches, pending) => {
    const { store, batcher } = setup();
    const sealed = batcher.add(observations(count), 0);
    expect(sealed).toHaveLength(batches);
    expect(sealed.every((b) => b.observations.length === 50)).toBe(true);
    expect(store.counts()).toMatchObject({ batches, pendingObservations: pending });
  });

  it('seals a partial batch once its oldest observation reaches FLUSH_MAX_AGE (49 people, then home)', () => {
    const { store, batcher } = setup();
    batcher.add(observations(30), 0);
    batcher.add(observations(19, 30), 10 * MIN);
    expect(batcher.tick(15 * MIN - 1)).toEqual([]);
    expect(batcher.nextFlushAt()).toBe(15 * MIN);
    const sealed = batcher.tick(15 * MIN);
    expect(sealed).toHaveLength(1);
    expect(sealed[0]!.observations).toHaveLength(49);
    expect(store.counts().pendingObservations).toBe(0);
  });

  it('flushAll seals everything on shutdown, in batches of at most 50', () => {
    const store = new MemoryOutbox();
    store.addObservations(observations(70), 0);
    const batcher = new Batcher(store);
    const sizes = batcher.flushAll(1).map((b) => b.observations.length);
    expect(sizes).toEqual([50, 20]);
  });

  it('picks up observations left pending in the store by a previous run', () => {
    const store = new MemoryOutbox();
    store.addObservations(observations(49), 0);
    const batcher = new Batcher(store);
    expect(batcher.pendingCount).toBe(49);
    expect(batcher.add(observations(1, 49), 1)).toHaveLength(1);
  });

  it.each([0, 51])('rejects a batch size of %i', (size) => {
    expect(() => new Batcher(new MemoryOutbox(), { maxBatchSize: size })).toThrow(RangeError);
  });
});
