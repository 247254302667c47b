import { describe, expect, it } from 'vitest';
import { SameTickBatcher } from '../../../backend/src/adapters/same-tick-batcher.js';

describe('SameTickBatcher', () => {
  const recordingBatcher = (maxGroup: number, fail: (item: number) => boolean = () => false) => {
    const groups: number[][] = [];
    const batcher = new SameTickBatcher<number, string>(
      async (items) => {
        groups.push([...items]);
        return items.map((item) => (fail(item) ? new Error(`refused ${item}`) : `done ${item}`));
      },
      (group) => group.length <= maxGroup,
    );
    return { batcher, groups };
  };

  it('hands the calls of one turn to one flush, in groups that fit', async () => {
    const { batcher, groups } = recordingBatcher(10);
    const results = await Promise.all(Array.from({ length: 23 }, (_, i) => batcher.add(i)));
    expect(groups.map((g) => g.length)).toEqual([10, 10, 3]);
    expect(results).toEqual(Array.from({ length: 23 }, (_, i) => `done ${i}`));
  });

  it('starts a new flush for calls made after the previous turn', async () => {
    const { batcher, groups } = recordingBatcher(10);
    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([first, batcher.add(2), batcher.add(3)]);
    expect(groups).toEqual([[1], [2, 3]]);
  });

  it('fails only the items the flush reports as failed', async () => {
    const { batcher } = recordingBatcher(10, (item) => item === 2);
    const results = await Promise.allSettled([1, 2, 3].map((i) => batcher.add(i)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['done 1', 'refused 2', 'done 3']);
  });

  it('fails every item of a group whose flush throws, and no other group', async () => {
    const batcher = new SameTickBatcher<number, number>(
      async (items) => {
        if (items.includes(0)) throw new Error('throttled');
        return items;
      },
      (group) => group.length <= 2,
    );
    const results = await Promise.allSettled([0, 1, 2, 3].map((i) => batcher.add(i)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  });
});
