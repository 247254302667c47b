/**
 * One stretch of time in which one device of a pair heard the other's token without a long pause,
 * as that device reported it: the bridge or phone closes an observation after a few idle minutes,
 * so each uploaded observation is one interval. A contact keeps its intervals apart, so that two
 * short meetings hours apart stay two short meetings.
 */
export interface SightingInterval {
  /** Which device of the pair heard the other one: the lower-numbered device, or the higher. */
  heardBy: 'low' | 'high';
  /** Epoch milliseconds. */
  start: number;
  /** Epoch milliseconds, not before `start`. */
  end: number;
  /** Advertisement reports received in the interval (at least 1). */
  sightings: number;
  /** Typical signal in dBm: the mean of the sightings, or the strongest where only that was reported. */
  rssi?: number | undefined;
  /** Strongest signal in dBm. */
  rssiMax?: number | undefined;
  /** The TX power (dBm) the advertiser announced, for the path loss (attenuation). */
  txPower?: number | undefined;
}

/**
 * Intervals kept per side of one contact (a pair in one token window). A three-hour window holds
 * at most 36 intervals separated by the bridge's 5-minute idle rule; beyond this only the earliest
 * are kept, which bounds what a misbehaving client can make us store.
 */
export const MAX_INTERVALS_PER_SIDE = 48;

/**
 * The canonical form of a set of intervals: per side, overlapping or touching intervals become one
 * (the union of their times, the larger count and the stronger signals), ordered by side and start.
 * It is a lattice join, so merging is commutative, associative and idempotent: redelivered,
 * re-reported and two-sided sightings converge on the same record in any order.
 */
export function normalizeIntervals(intervals: Iterable<SightingInterval>): SightingInterval[] {
  const bySide: Record<'low' | 'high', SightingInterval[]> = { low: [], high: [] };
  for (const interval of intervals) bySide[interval.heardBy].push(interval);
  return [...joinOverlapping(bySide.low), ...joinOverlapping(bySide.high)];
}

export function mergeIntervalSets(a: readonly SightingInterval[], b: readonly SightingInterval[]): SightingInterval[] {
  return normalizeIntervals([...a, ...b]);
}

function joinOverlapping(side: SightingInterval[]): SightingInterval[] {
  side.sort((x, y) => x.start - y.start || x.end - y.end);
  const joined: SightingInterval[] = [];
  for (const interval of side) {
    const last = joined[joined.length - 1];
    if (last && interval.start <= last.end) joined[joined.length - 1] = join(last, interval);
    else joined.push({ ...interval });
  }
  return joined.slice(0, MAX_INTERVALS_PER_SIDE);
}

function join(a: SightingInterval, b: SightingInterval): SightingInterval {
  return {
    heardBy: a.heardBy,
    start: Math.min(a.start, b.start),
    end: Math.max(a.end, b.end),
    sightings: Math.max(a.sightings, b.sightings),
    rssi: maxDefined(a.rssi, b.rssi),
    rssiMax: maxDefined(a.rssiMax, b.rssiMax),
    txPower: maxDefined(a.txPower, b.txPower),
  };
}

export function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
