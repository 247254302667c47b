import { describe, expect, it } from 'vitest';
import type { OutboxStore } from '../../../device-bridge/src/ports/outbox-store.js';
import { observations } from '../support/builders.js';

/** One contract for every OutboxStore adapter. `make` returns a fresh store and a reopen function (undefined if not durable). */
export function describeOutboxContract(name: string, make: () => { store: OutboxStore; reopen?: () => OutboxStore }) {
  describe(`OutboxStore contract: ${name}`, () => {
    it('keeps pending observations in order and seals the oldest first', () => {
      const { store } = make();
      store.addObservations(observations(3, 0), 100);
      store.addObservations(observations(2, 3), 200);
      expect(store.oldestPendingAt()).toBe(100);
      const batch = store.sealBatch('b1', 4, 300)!;
      expect(batch.observations.map((o) => o.token)).toEqual(observations(4).map((o) => o.token));
      expect(store.counts()).toEqual({ pendingObservations: 1, batches: 1, dead: 0 });
      expect(store.oldestPendingAt()).toBe(200);
      expect(store.sealBatch('b2', 50, 300)?.observations).toHaveLength(1);
      expect(store.sealBatch('b3', 50, 300)).toBeUndefined();
      store.close();
    });

    it('returns due batches oldest first and honours nextAttemptAt', () => {
      const { store } = make();
      store.addObservations(observations(2), 0);
      store.sealBatch('first', 1, 10);
      store.sealBatch('second', 1, 20);
      expect(store.nextDueBatch(30)?.batchId).toBe('first');
      store.markRetry('first', 1, 1000, 'HTTP 503');
      expect(store.nextDueBatch(30)?.batchId).toBe('second');
      expect(store.nextAttemptAt()).toBe(20);
      store.markSent('second');
      expect(store.nextDueBatch(30)).toBeUndefined();
      expect(store.nextAttemptAt()).toBe(1000);
      expect(store.nextDueBatch(1000)).toMatchObject({ batchId: 'first', attempts: 1 });
      store.close();
    });

    it('dead-letters a batch with its reason and stops offering it', () => {
      const { store } = make();
      store.addObservations(observations(1), 0);
      store.sealBatch('bad', 50, 0);
      store.markDead('bad', 'HTTP 400 invalid_batch');
      expect(store.nextDueBatch(Number.MAX_SAFE_INTEGER)).toBeUndefined();
      expect(store.deadBatches()).toMatchObject([{ batchId: 'bad', reason: 'HTTP 400 invalid_batch' }]);
      expect(store.counts()).toEqual({ pendingObservations: 0, batches: 0, dead: 1 });
      store.close();
    });

    it('stores and replaces the cache checkpoint', () => {
      const { store } = make();
      expect(store.loadCheckpoint()).toEqual([]);
      const entry = { token: 'x'.repeat(22), firstSeen: 1, lastSeen: 2, count: 3, rssiMax: -40, rssiMin: -80, rssiSum: -180 };
      store.saveCheckpoint([entry]);
      expect(store.loadCheckpoint()).toEqual([entry]);
      store.saveCheckpoint([]);
      expect(store.loadCheckpoint()).toEqual([]);
      store.close();
    });

    it('loses nothing across a reopen (durable adapters only)', () => {
      const { store, reopen } = make();
      if (reopen === undefined) {
        expect(store.counts()).toEqual({ pendingObservations: 0, batches: 0, dead: 0 });
        return;
      }
      store.addObservations(observations(3), 0);
      store.sealBatch('kept', 2, 5);
      store.markRetry('kept', 2, 99, 'down');
      store.saveCheckpoint([{ token: 't', firstSeen: 1, lastSeen: 1, count: 1, rssiMax: 0, rssiMin: 0, rssiSum: 0 }]);
      store.close();
      const again = reopen();
      expect(again.counts()).toEqual({ pendingObservations: 1, batches: 1, dead: 0 });
      expect(again.nextDueBatch(99)).toMatchObject({ batchId: 'kept', attempts: 2, observations: observations(2) });
      expect(again.loadCheckpoint()).toHaveLength(1);
      again.close();
    });
  });
}
