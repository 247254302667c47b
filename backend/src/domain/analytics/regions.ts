import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import ngeohash from 'ngeohash';
import type { GeoPoint } from '../contacts/observation.js';

/**
 * Where analytics place a person or a meeting: never a coordinate, only a region. By default a
 * geohash cell (precision 5 is about 4.9 km × 4.9 km); where the agency supplies boundaries, the
 * admin area holding the point. A record with no located contact is in UNKNOWN_REGION; figures
 * over every region together are in ALL_REGIONS.
 */
export type RegionId = string;
export const UNKNOWN_REGION = 'unknown';
export const ALL_REGIONS = 'all';

export interface RegionScheme {
  regionOf(point: GeoPoint): RegionId;
  /** A point that stands for the region on a map: the cell's or area's centre, never a person's place. */
  centreOf(region: RegionId): GeoPoint | undefined;
}

export function geohashRegions(precision: number): RegionScheme {
  if (!(Number.isInteger(precision) && precision >= 1 && precision <= 7)) throw new RangeError('geohash precision must be 1–7 (7 is ~150 m)');
  return {
    regionOf: (p) => ngeohash.encode(p.lat, p.lon, precision),
    centreOf: (region) => {
      if (region === UNKNOWN_REGION || region === ALL_REGIONS || region.length !== precision) return undefined;
      const { latitude, longitude } = ngeohash.decode(region);
      return { lat: round(latitude), lon: round(longitude) };
    },
  };
}

/** An admin area: its id and its boundary, as a GeoJSON Polygon or MultiPolygon geometry. */
export interface AdminArea {
  id: RegionId;
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
  centre: GeoPoint;
}

/** Admin areas the agency supplies; a point in none of them falls back to its geohash cell. */
export function adminAreaRegions(areas: readonly AdminArea[], fallback: RegionScheme): RegionScheme {
  const byId = new Map(areas.map((a) => [a.id, a]));
  return {
    regionOf: (p) => areas.find((a) => booleanPointInPolygon([p.lon, p.lat], a.geometry))?.id ?? fallback.regionOf(p),
    centreOf: (region) => byId.get(region)?.centre ?? fallback.centreOf(region),
  };
}

/** The region a person was in most often among these places (ties: the smallest id), else UNKNOWN_REGION. */
export function mostFrequentRegion(points: Iterable<GeoPoint>, scheme: RegionScheme): RegionId {
  const counts = new Map<RegionId, number>();
  for (const p of points) {
    const region = scheme.regionOf(p);
    counts.set(region, (counts.get(region) ?? 0) + 1);
  }
  let best: RegionId = UNKNOWN_REGION;
  let bestCount = 0;
  for (const [region, count] of counts) {
    if (count > bestCount || (count === bestCount && region < best)) [best, bestCount] = [region, count];
  }
  return best;
}

function round(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}
