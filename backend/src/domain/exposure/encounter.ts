import type { SightingInterval } from '../contacts/sighting-interval.js';
import { attenuationOf, bucketOf, type ProximityPolicy } from './proximity-policy.js';

/** A stretch of time two devices spent near each other, as both sides' sightings show it. */
export interface Encounter {
  start: number;
  end: number;
  /** Time inside the sighting intervals (and bridged gaps), per bucket: immediate, near, medium, other, unknown. */
  minutesByBucket: [number, number, number, number, number];
  weightedMinutes: number;
}

interface Piece {
  start: number;
  end: number;
  /** 0–3 for a measured bucket, 4 when neither side measured a signal. */
  bucket: number;
}

const MS_PER_MINUTE = 60_000;

/**
 * The encounters of one pair from their sighting intervals (both sides, every window), counting
 * only time in [from, until). At each moment the strongest measured signal of any interval covering
 * it sets the bucket (a measurement beats none); time between intervals counts only where the gap
 * is at most `encounterGapMs`, in the bucket of the sighting that ends it (GAEN's
 * secondsSinceLastScan), and a longer gap starts a new encounter. So duration is time actually
 * observed, not the span from the first to the last sighting, and a brief strong signal weighs
 * only for its own minutes.
 */
export function encountersOf(intervals: readonly SightingInterval[], policy: ProximityPolicy, from = -Infinity, until = Infinity): Encounter[] {
  const clipped = intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, until), bucket: bucketIndex(policy, i) }))
    .filter((i) => i.start <= i.end);
  if (clipped.length === 0) return [];
  const pieces = strongestCover(clipped);
  const encounters: Encounter[] = [];
  let current: Encounter | undefined;
  let last: Piece | undefined;
  for (const piece of pieces) {
    const gap = last ? piece.start - last.end : Infinity;
    if (!current || gap > policy.encounterGapMs) {
      current = { start: piece.start, end: piece.end, minutesByBucket: [0, 0, 0, 0, 0], weightedMinutes: 0 };
      encounters.push(current);
    } else {
      add(current, piece.bucket, gap, policy);
    }
    add(current, piece.bucket, piece.end - piece.start, policy);
    current.end = Math.max(current.end, piece.end);
    last = piece;
  }
  return encounters;
}

/** The first encounter in [from, until) that reaches the policy's weighted minutes, if any. */
export function firstQualifyingEncounter(
  intervals: readonly SightingInterval[],
  policy: ProximityPolicy,
  from?: number,
  until?: number,
): Encounter | undefined {
  // A hair of tolerance: 15 minutes at weight 1 must read as 15, however the floats fell.
  return encountersOf(intervals, policy, from, until).find((e) => e.weightedMinutes + 1e-9 >= policy.minWeightedMinutes);
}

function bucketIndex(policy: ProximityPolicy, interval: SightingInterval): number {
  const attenuation = attenuationOf(policy, interval.rssi, interval.txPower);
  return attenuation === undefined ? 4 : bucketOf(policy, attenuation);
}

function add(encounter: Encounter, bucket: number, ms: number, policy: ProximityPolicy): void {
  if (ms <= 0) return;
  const minutes = ms / MS_PER_MINUTE;
  encounter.minutesByBucket[bucket as 0] += minutes;
  encounter.weightedMinutes += minutes * (bucket === 4 ? policy.unknownSignalWeight : policy.bucketWeights[bucket as 0]);
}

/**
 * Cuts the covered time into pieces, each with the best bucket of the intervals covering it
 * (lowest measured bucket; "unknown" only where nothing was measured). Zero-length intervals
 * (a single sighting) stay as points so that they still join an encounter.
 */
function strongestCover(intervals: readonly Piece[]): Piece[] {
  const points = [...new Set(intervals.flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  const push = (piece: Piece) => {
    const last = pieces[pieces.length - 1];
    if (last && last.bucket === piece.bucket && last.end === piece.start) last.end = piece.end;
    else pieces.push(piece);
  };
  for (let k = 0; k < points.length; k++) {
    const p = points[k]!;
    const q = points[k + 1];
    if (q !== undefined) {
      const covering = intervals.filter((i) => i.start <= p && i.end >= q);
      if (covering.length > 0) {
        push({ start: p, end: q, bucket: Math.min(...covering.map((i) => i.bucket)) });
        continue;
      }
    }
    // An uncovered stretch follows p: p itself may still be a sighting (a single one, or an end).
    const atPoint = intervals.filter((i) => i.start <= p && i.end >= p);
    const last = pieces[pieces.length - 1];
    if (atPoint.length > 0 && !(last && last.end === p)) push({ start: p, end: p, bucket: Math.min(...atPoint.map((i) => i.bucket)) });
  }
  return pieces;
}
