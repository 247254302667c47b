import { describe, expect, it } from 'vitest';
import { devicesByDegree, outbreakTree } from '../../../../backend/bench/outbreak/outbreak-tree.js';

describe('Function: outbreakTree', () => {
  it.each([
    // reach, deepest notified degree → fan-out, devices at each degree
    [10, 2, 3, { '1': 3, '2': 7 }],
    [100, 2, 10, { '1': 10, '2': 90 }],
    [1000, 2, 32, { '1': 32, '2': 968 }],
    [1000, 1, 1000, { '1': 1000 }],
    [14, 3, 2, { '1': 2, '2': 4, '3': 8 }],
  ])('reaches %i devices within degree %i with the smallest fan-out (%i)', (reach, maxDegree, fanOut, byDegree) => {
    const tree = outbreakTree(reach, maxDegree);
    expect(tree.fanOut).toBe(fanOut);
    expect(tree.edges).toHaveLength(reach);
    expect(devicesByDegree(tree.edges)).toEqual(byDegree);
  });

  it('is a tree rooted at the index: each device is reached once, from a device one degree nearer, met by at most fan-out others', () => {
    const { edges, fanOut } = outbreakTree(100, 2);
    const depth = new Map([[0, 0]]);
    const children = new Map<number, number>();
    for (const { parent, child, depth: d } of edges) {
      expect(depth.has(child)).toBe(false);
      expect(depth.get(parent)).toBe(d - 1);
      depth.set(child, d);
      children.set(parent, (children.get(parent) ?? 0) + 1);
    }
    expect(Math.max(...children.values())).toBeLessThanOrEqual(fanOut);
    expect([...depth.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 101 }, (_, i) => i));
  });

  it('refuses a reach or a policy that cannot make an outbreak', () => {
    expect(() => outbreakTree(0, 2)).toThrow(/at least one device/);
    expect(() => outbreakTree(10, 0)).toThrow(/notifies nobody/);
  });
});
