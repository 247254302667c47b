import { describe, expect, it } from 'vitest';
import { Batcher, type ReadyBatch } from '../../../loadtest/src/population/batcher.js';
import { SimulatedDevice } from '../../../loadtest/src/population/simulated-device.js';

const newId = (() => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
})();

describe('Class: Batcher', () => {
  it.each([
    [50, 50, 1, 0],
    [50, 120, 2, 20],
    [10, 35, 3, 5],
  ])('with batches of %i, %i observations make %i full batches and leave %i pending', (size, observations, full, left) => {
    const batcher = new Batcher(size, 60_000, newId);
    const device = new SimulatedDevice(0, '+447700900000');
    const ready: ReadyBatch[] = [];
    for (let i = 0; i < observations; i++) {
      const b = batcher.add(device, `{"n":${i}}`, i);
      if (b) ready.push(b);
    }
    expect(ready).toHaveLength(full);
    expect(device.pending).toHaveLength(left);
    for (const b of ready) {
      const body = JSON.parse(b.body) as { batchId: string; observations: unknown[] };
      expect(body.observations).toHaveLength(size);
      expect(body.batchId).toBe(b.batchId);
    }
  });

  it('flushes a partial batch when its timer fires, not before', () => {
    const batcher = new Batcher(50, 1_000, newId);
    const device = new SimulatedDevice(0, '+447700900000');
    batcher.add(device, '{}', 0);
    batcher.add(device, '{}', 500);
    const ready: ReadyBatch[] = [];
    batcher.flushDue(999, (b) => ready.push(b));
    expect(ready).toHaveLength(0);
    expect(batcher.nextFlushSimMs()).toBe(1_000);
    batcher.flushDue(1_000, (b) => ready.push(b));
    expect(ready.map((b) => [b.reason, b.observationCount])).toEqual([['flush', 2]]);
  });

  it('ignores a stale timer for a batch that already went out full', () => {
    const batcher = new Batcher(2, 1_000, newId);
    const device = new SimulatedDevice(0, '+447700900000');
    batcher.add(device, '{}', 0);
    expect(batcher.add(device, '{}', 10)?.reason).toBe('full');
    batcher.add(device, '{}', 1_500); // opens a new batch, timer at 2,500
    const ready: ReadyBatch[] = [];
    batcher.flushDue(1_000, (b) => ready.push(b));
    expect(ready).toHaveLength(0);
    batcher.flushDue(2_500, (b) => ready.push(b));
    expect(ready).toHaveLength(1);
  });
});
