import { describe, expect, it } from 'vitest';
import { ConflictingBatchError, type ContactQueue } from '../../../backend/src/ports/contact-queue.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

/** The producer side of the ContactQueue: what the submit and process handlers rely on. */
export function describeContactQueueContract(name: string, make: () => Promise<AdapterHarness<ContactQueue>>): void {
  describe(`ContactQueue contract: ${name}`, () => {
    let queue: ContactQueue;
    useFreshAdapter(make, (adapter) => (queue = adapter));

    it('accepts a batch once and recognises the identical re-post', async () => {
      expect(await queue.enqueue('{"n":1}', 'r:1', 'h1', 1)).toEqual({ enqueued: true });
      expect(await queue.enqueue('{"n":1}', 'r:1', 'h1', 1)).toEqual({ enqueued: false });
      expect(await queue.enqueue('{"n":2}', 'r:2', 'h2', 1)).toEqual({ enqueued: true });
      expect((await queue.stats()).backlog).toBe(2);
    });

    it('refuses the same key with other content', async () => {
      await queue.enqueue('{"n":1}', 'r:1', 'h1', 1);
      await expect(queue.enqueue('{"n":9}', 'r:1', 'h9', 1)).rejects.toBeInstanceOf(ConflictingBatchError);
      expect((await queue.stats()).backlog).toBe(1);
    });

    it('keeps dead letters with their reason', async () => {
      await queue.deadLetter('{"bad":true}', 'message does not match the schema', 1);
      expect(await queue.stats()).toMatchObject({ backlog: 0, deadLettered: 1 });
    });

    it("forgets an erased reporter's receipts: its batch id is new again", async () => {
      await queue.enqueue('{"n":1}', '7:b1', 'h1', 7);
      await queue.forgetReporter(7, () => undefined);
      expect(await queue.enqueue('{"n":2}', '7:b1', 'h2', 7)).toEqual({ enqueued: true });
    });
  });
}
