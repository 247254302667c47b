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

/**
 * Admin areas the agency supplies. A point belongs to the area whose boundary holds it, the
 * boundary included (turf's booleanPointInPolygon without ignoreBoundary: a point on an edge or a
 * vertex, also of a hole, is inside); a point on a border two areas share goes to the first of them
 * in the file. A point in no area, or in a hole that no other area fills, falls back to its geohash cell.
 */
export function adminAreaRegions(areas: readonly AdminArea[], fallback: RegionScheme): RegionScheme {
  const byId = new Map(areas.map((a) => [a.id, a]));
  const boxed = areas.map((area) => ({ area, box: boundingBox(area.geometry) }));
  const inBox = ([lon, lat]: [number, number], b: BoundingBox) => lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north;
  return {
    regionOf: (p) => {
      const point: [number, number] = [p.lon, p.lat];
      return boxed.find(({ area, box }) => inBox(point, box) && booleanPointInPolygon(point, area.geometry))?.area.id ?? fallback.regionOf(p);
    },
    centreOf: (region) => byId.get(region)?.centre ?? fallback.centreOf(region),
  };
}

interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

function boundingBox(geometry: AdminArea['geometry']): BoundingBox {
  const outer = geometry.type === 'Polygon' ? [geometry.coordinates[0]!] : geometry.coordinates.map((part) => part[0]!);
  // A loop, not Math.min(...): a national boundary can have more vertices than a call takes arguments.
  const box: BoundingBox = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  for (const ring of outer) {
    for (const [lon, lat] of ring) {
      box.west = Math.min(box.west, lon!);
      box.south = Math.min(box.south, lat!);
      box.east = Math.max(box.east, lon!);
      box.north = Math.max(box.north, lat!);
    }
  }
  return box;
}

/**
 * A point standing for an area on a map: the centroid of the outer boundary of its largest part
 * (the shoelace formula on longitude and latitude, close enough at an area's scale).
 */
export function areaCentre(geometry: AdminArea['geometry']): GeoPoint {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const centroids = parts.map((part) => ringCentroid(part[0]!));
  const largest = centroids.reduce((best, c) => (c.area > best.area ? c : best));
  return { lat: round(largest.lat), lon: round(largest.lon) };
}

function ringCentroid(ring: readonly number[][]): { area: number; lat: number; lon: number } {
  let twiceArea = 0;
  let lon = 0;
  let lat = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i] as [number, number];
    const [x1, y1] = ring[i + 1] as [number, number];
    const cross = x0 * y1 - x1 * y0;
    twiceArea += cross;
    lon += (x0 + x1) * cross;
    lat += (y0 + y1) * cross;
  }
  if (twiceArea === 0) {
    // A degenerate ring: the mean of its distinct vertices.
    const vertices = ring.slice(0, -1);
    return { area: 0, lon: vertices.reduce((sum, q) => sum + q[0]!, 0) / vertices.length, lat: vertices.reduce((sum, q) => sum + q[1]!, 0) / vertices.length };
  }
  return { area: Math.abs(twiceArea / 2), lon: lon / (3 * twiceArea), lat: lat / (3 * twiceArea) };
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
