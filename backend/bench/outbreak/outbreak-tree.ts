/** One encounter of the outbreak: `parent` (already exposed) met `child`, who is then exposed at `depth`. */
export interface OutbreakEdge {
  parent: number;
  child: number;
  depth: number;
}

/**
 * The contact tree of an outbreak that reaches `reach` devices within `maxDegree` hops of the index
 * case (device 0): breadth first, every device up to the last degree meeting at most `fanOut`
 * others, with the smallest fan-out that reaches that many. Devices are numbered 1…reach in the
 * order they are reached, so a device's true degree is its depth in the tree.
 */
export function outbreakTree(reach: number, maxDegree: number): { edges: OutbreakEdge[]; fanOut: number } {
  if (!Number.isInteger(reach) || reach < 1) throw new RangeError(`an outbreak reaches at least one device, not ${reach}`);
  if (!Number.isInteger(maxDegree) || maxDegree < 1) throw new RangeError(`the policy notifies nobody (deepest degree ${maxDegree})`);
  let fanOut = 1;
  while (treeSize(fanOut, maxDegree) < reach) fanOut++;
  const edges: OutbreakEdge[] = [];
  const depthOf = [0];
  for (let parent = 0; edges.length < reach; parent++) {
    for (let i = 0; i < fanOut && edges.length < reach; i++) {
      const child = edges.length + 1;
      depthOf[child] = depthOf[parent]! + 1;
      edges.push({ parent, child, depth: depthOf[child]! });
    }
  }
  return { edges, fanOut };
}

/** Devices a full tree of this fan-out reaches within `depth` hops (the index not counted). */
function treeSize(fanOut: number, depth: number): number {
  let size = 0;
  let level = 1;
  for (let d = 1; d <= depth; d++) {
    level *= fanOut;
    size += level;
  }
  return size;
}

/** How many devices the tree puts at each degree, as the tracer must warn them. */
export function devicesByDegree(edges: readonly OutbreakEdge[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { depth } of edges) out[String(depth)] = (out[String(depth)] ?? 0) + 1;
  return out;
}
