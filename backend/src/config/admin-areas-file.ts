import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { ALL_REGIONS, areaCentre, UNKNOWN_REGION, type AdminArea } from '../domain/analytics/regions.js';
import { ConfigError } from './env-schema.js';

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
/** A linear ring (RFC 7946 §3.1.6): at least four positions, the last the same as the first. */
const ring = z
  .array(position)
  .min(4, 'a ring needs at least 4 positions')
  .refine((r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1], 'a ring must end where it starts (closed)');
const polygon = z.array(ring).min(1);
const featureSchema = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z.object({ id: z.union([z.string(), z.number()]).optional(), name: z.string().optional() }).catchall(z.unknown()).nullable().optional(),
  geometry: z.discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: polygon }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon).min(1) }),
  ]),
});
const collectionSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(featureSchema).min(1) });

/**
 * ANALYTICS_REGIONS_FILE: a GeoJSON FeatureCollection of Polygon or MultiPolygon features (RFC 7946:
 * [longitude, latitude] positions, closed rings, holes after the outer ring), each area named by
 * `properties.id`, the feature's `id` or `properties.name`. Names must be unique and must not be
 * mistaken for a geohash cell of `geohashPrecision` (points outside every area fall back to those)
 * nor for the reserved regions `all` and `unknown`.
 */
export function readAdminAreas(file: string, geohashPrecision: number): AdminArea[] {
  const fail = (why: string) => new ConfigError(`ANALYTICS_REGIONS_FILE (${JSON.stringify(file)}): ${why}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw fail(`cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = collectionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(`must be a GeoJSON FeatureCollection of Polygon or MultiPolygon features: at ${issue.path.join('.') || 'the top'}: ${issue.message}`);
  }
  const geohashCell = new RegExp(`^[0-9bcdefghjkmnpqrstuvwxyz]{${geohashPrecision}}$`);
  const seen = new Set<string>();
  return parsed.data.features.map((f, i) => {
    const id = String(f.properties?.id ?? f.id ?? f.properties?.name ?? `area-${i + 1}`);
    if (seen.has(id)) throw fail(`features.${i}: the area name ${JSON.stringify(id)} is used twice (make one MultiPolygon of an area's parts)`);
    if (id === ALL_REGIONS || id === UNKNOWN_REGION) throw fail(`features.${i}: ${JSON.stringify(id)} is a reserved region name`);
    if (geohashCell.test(id)) throw fail(`features.${i}: the area name ${JSON.stringify(id)} reads as a geohash cell of precision ${geohashPrecision}, which points outside every area are counted in`);
    seen.add(id);
    const geometry = f.geometry as AdminArea['geometry'];
    return { id, geometry, centre: areaCentre(geometry) };
  });
}
