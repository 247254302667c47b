import { describe, expect, it } from 'vitest';
import type { ContactQueue } from '../../../backend/src/ports/contact-queue.js';
import type { DeadLetters } from '../../../backend/src/ports/dead-letters.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

export interface DeadLetterStores {
  queue: ContactQueue;
  deadLetters: DeadLetters;
  /** Bodies waiting on the contact queue, as the consumer would receive them. */
  waitingBodies(): Promise<string[]>;
}

const body = (reporter: number, n: number) => JSON.stringify({ version: 1, batchKey: `${reporter}:b${n}`, batch: { reporter, n } });

/** What an operator does with dead letters (`npm run dead-letters`), on every backend. */
export function describeDeadLettersContract(name: string, make: () => Promise<AdapterHarness<DeadLetterStores>>): void {
  describe(`DeadLetters contract: ${name}`, () => {
    let s: DeadLetterStores;
    useFreshAdapter(make, (adapter) => (s = adapter));

    it('lists dead letters with their reason and attempts, and shows one', async () => {
      await s.queue.deadLetter(body(1, 1), 'message body is not JSON', 1);
      await s.queue.deadLetter(body(1, 2), 'failed on attempt 5 of 5: engine down', 5);
      const listed = await s.deadLetters.list(10);
      expect(listed.map((d) => [d.source, d.reason, d.attempts]).sort()).toEqual([
        ['contacts', 'failed on attempt 5 of 5: engine down', 5],
        ['contacts', 'message body is not JSON', 1],
      ]);
      expect(await s.deadLetters.get(listed[0]!.id)).toEqual(listed[0]);
      expect(await s.deadLetters.get('no-such-id')).toBeUndefined();
    });

    it('redrives one or all back to the queue, once', async () => {
      await s.queue.deadLetter(body(1, 1), 'r1', 5);
      await s.queue.deadLetter(body(1, 2), 'r2', 5);
      const [first] = await s.deadLetters.list(10);
      expect(await s.deadLetters.redrive([first!.id])).toBe(1);
      expect(await s.deadLetters.redrive([first!.id])).toBe(0);
      expect(await s.deadLetters.redrive('all')).toBe(1);
      expect((await s.waitingBodies()).sort()).toEqual([body(1, 1), body(1, 2)].sort());
      expect(await s.deadLetters.list(10)).toEqual([]);
    });

    it('purges one or all', async () => {
      await s.queue.deadLetter(body(1, 1), 'r1', 5);
      await s.queue.deadLetter(body(1, 2), 'r2', 5);
      const [first] = await s.deadLetters.list(10);
      expect(await s.deadLetters.purge([first!.id])).toBe(1);
      expect(await s.deadLetters.purge('all')).toBe(1);
      expect(await s.deadLetters.list(10)).toEqual([]);
    });

    it("forgets an erased reporter's dead letters and scrubs its observations from others'", async () => {
      await s.queue.deadLetter(body(7, 1), 'r', 5);
      await s.queue.deadLetter(body(8, 1), 'r', 5);
      await s.queue.deadLetter(body(9, 1), 'r', 5);
      const scrubbed = await s.queue.forgetReporter(7, (b) => (b.includes('"reporter":8') && b.includes('"n":1') ? b.replace('"n":1', '"n":0') : undefined));
      expect(scrubbed).toBe(2);
      expect((await s.deadLetters.list(10)).map((d) => d.body).sort()).toEqual([body(8, 1).replace('"n":1', '"n":0'), body(9, 1)].sort());
    });
  });
}
