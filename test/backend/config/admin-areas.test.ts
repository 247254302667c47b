import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ngeohash from 'ngeohash';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { ConfigError } from '../../../backend/src/config/env-schema.js';
import { mostFrequentRegion } from '../../../backend/src/domain/analytics/regions.js';

/** A square ring, counter-clockwise, closed: [lon, lat] as GeoJSON has it. */
const square = (west: number, south: number, east: number, north: number) => [
  [west, south],
  [east, south],
  [east, north],
  [west, north],
  [west, south],
];
const feature = (properties: object | null, geometry: object, extra: object = {}) => ({ type: 'Feature', properties, geometry, ...extra });
const polygon = (...rings: number[][][]) => ({ type: 'Polygon', coordinates: rings });

/**
 * An agency's boundaries: "mitte" with a hole, in which lies the enclave "insel"; "ost" sharing
 * mitte's eastern border (lon 13.2); "seen", two lakeside parts (a MultiPolygon) named by its
 * feature id; nothing else.
 */
const BOUNDARIES = {
  type: 'FeatureCollection',
  features: [
    feature({ name: 'mitte', population: 120_000 }, polygon(square(13.0, 52.0, 13.2, 52.2), square(13.05, 52.05, 13.1, 52.1).reverse())),
    feature({ id: 'ost' }, polygon(square(13.2, 52.0, 13.4, 52.2))),
    feature({}, { type: 'MultiPolygon', coordinates: [[square(13.0, 52.3, 13.05, 52.35)], [square(13.1, 52.3, 13.2, 52.4)]] }, { id: 'seen' }),
    feature({ id: 'insel' }, polygon(square(13.06, 52.06, 13.08, 52.08))),
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'admin-areas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function fileWith(content: unknown): string {
  const path = join(dir, `areas-${++files}.geojson`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const configWith = (file: string, env: Record<string, string> = {}) => loadBackendConfig({ LOG_LEVEL: 'SILENT', ANALYTICS_REGIONS_FILE: file, ...env }).analytics;

describe('ANALYTICS_REGIONS_FILE: admin areas from an agency-supplied GeoJSON file', () => {
  const config = configWith(fileWith(BOUNDARIES));
  const regionOf = (lat: number, lon: number) => config.regions.regionOf({ lat, lon });
  const cell = (lat: number, lon: number) => ngeohash.encode(lat, lon, 5);

  it('places a point in the area that contains it, across both parts of a MultiPolygon', () => {
    expect(regionOf(52.15, 13.15)).toBe('mitte');
    expect(regionOf(52.1, 13.3)).toBe('ost');
    expect(regionOf(52.32, 13.02)).toBe('seen');
    expect(regionOf(52.35, 13.15)).toBe('seen');
    expect(regionOf(52.07, 13.07)).toBe('insel');
  });

  it('falls back to the geohash cell outside every area: beyond them, between the parts, in a hole', () => {
    expect(regionOf(48.85, 2.35)).toBe(cell(48.85, 2.35));
    expect(regionOf(52.32, 13.07)).toBe(cell(52.32, 13.07));
    expect(regionOf(52.09, 13.09)).toBe(cell(52.09, 13.09));
    expect(regionOf(52.25, 13.1)).toBe(cell(52.25, 13.1));
  });

  it('counts a point on a boundary as inside, and a shared border in the first area of the file', () => {
    expect(regionOf(52.0, 13.3)).toBe('ost'); // on ost's southern edge
    expect(regionOf(52.2, 13.4)).toBe('ost'); // on its north-eastern corner
    expect(regionOf(52.05, 13.07)).toBe('mitte'); // on the edge of mitte's hole
    expect(regionOf(52.1, 13.2)).toBe('mitte'); // on the border mitte and ost share: mitte comes first
    expect(regionOf(52.2, 13.2)).toBe('mitte'); // the corner they share
  });

  it("gives each area a centre within it for maps, and a person's region is the area they were heard in most", () => {
    expect(config.regions.centreOf('mitte')).toEqual({ lat: 52.1, lon: 13.1 });
    expect(config.regions.centreOf('seen')).toEqual({ lat: 52.35, lon: 13.15 }); // the larger part's
    const fallback = cell(48.85, 2.35);
    const decoded = ngeohash.decode(fallback);
    expect(config.regions.centreOf(fallback)!.lat).toBeCloseTo(decoded.latitude, 4);
    expect(config.regions.centreOf('nowhere')).toBeUndefined();
    const heard = [
      { lat: 52.15, lon: 13.15 },
      { lat: 52.1, lon: 13.3 },
      { lat: 52.12, lon: 13.31 },
    ];
    expect(mostFrequentRegion(heard, config.regions)).toBe('ost');
    expect(config.regionsDescription).toMatch(/admin areas from .*geohash cells of precision 5 outside them/);
  });

  describe('refuses a malformed file at start, with the file and the place in it', () => {
    const refused = (content: unknown, env: Record<string, string> = {}) => {
      const file = fileWith(content);
      try {
        configWith(file, env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toContain(`ANALYTICS_REGIONS_FILE (${JSON.stringify(file)})`);
        return (error as Error).message;
      }
      throw new Error('the file was accepted');
    };
    const withFeature = (f: object) => ({ type: 'FeatureCollection', features: [BOUNDARIES.features[1], f] });

    it('not JSON, missing, or not a FeatureCollection of areas', () => {
      expect(refused('{"type": "FeatureCollection", ')).toMatch(/cannot be read as JSON/);
      expect(() => configWith(join(dir, 'missing.geojson'))).toThrow(/ANALYTICS_REGIONS_FILE .*cannot be read.*ENOENT/);
      expect(refused({ type: 'FeatureCollection', features: [] })).toMatch(/at features: /);
      expect(refused(withFeature(feature({ id: 'x' }, { type: 'Point', coordinates: [13.1, 52.1] })))).toMatch(/at features\.1\.geometry\.type/);
    });

    it('a ring that is not closed or too short, a position off the globe', () => {
      // First and last position share a latitude: point-in-polygon-hao's own check would miss it.
      const open = square(13.0, 52.0, 13.2, 52.2).slice(0, 4).concat([[13.1, 52.0]]);
      expect(refused(withFeature(feature({ id: 'open' }, polygon(open))))).toMatch(/features\.1\.geometry\.coordinates\.0: a ring must end where it starts/);
      expect(refused(withFeature(feature({ id: 'open' }, polygon(square(13.0, 52.0, 13.2, 52.2).slice(0, 4)))))).toMatch(/ring must end where it starts/);
      expect(refused(withFeature(feature({ id: 'thin' }, polygon([[13, 52], [13.1, 52.1], [13, 52]]))))).toMatch(/at least 4 positions/);
      expect(refused(withFeature(feature({ id: 'far' }, polygon(square(13.0, 88.0, 13.2, 91.0)))))).toMatch(/features\.1\.geometry\.coordinates/);
    });

    it('an area name used twice, reserved, or one that reads as a geohash cell', () => {
      expect(refused(withFeature(feature({ id: 'ost' }, polygon(square(14, 52, 14.2, 52.2)))))).toMatch(/"ost" is used twice/);
      expect(refused(withFeature(feature({ id: 'all' }, polygon(square(14, 52, 14.2, 52.2)))))).toMatch(/"all" is a reserved region name/);
      expect(refused(withFeature(feature({ id: 'u33db' }, polygon(square(14, 52, 14.2, 52.2)))))).toMatch(/"u33db" reads as a geohash cell of precision 5/);
      // At another precision the same name is no cell.
      expect(() => configWith(fileWith(withFeature(feature({ id: 'u33db' }, polygon(square(14, 52, 14.2, 52.2))))), { ANALYTICS_GEOHASH_PRECISION: '4' })).not.toThrow();
    });
  });
});
