import { describe, expect, it } from 'vitest';
import { MIGRATION_VERSIONS, savedObjects, toNdjson } from '../../../backend/src/reporting/saved-objects.js';
import { QUESTIONS, VIEWS } from '../../../backend/src/reporting/views.js';

/** OpenSearch Dashboards 2.x rejects objects "of a more recent version" than these (docs: /work/shared/notes/dashboards-saved-objects.md). */
const OSD_LATEST: Record<string, string> = { 'index-pattern': '7.6.0', visualization: '7.10.0', dashboard: '7.9.3', search: '7.9.3' };
/** Kibana ≥ 8.8 rejects other attribute keys on legacy visualizations. */
const KIBANA_VISUALIZATION_KEYS = new Set(['title', 'description', 'version', 'visState', 'uiStateJSON', 'kibanaSavedObjectMeta', 'savedSearchRefName']);
const semver = (v: string) => v.split('.').map(Number) as [number, number, number];
const notNewer = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return true;
};

describe('the saved-objects bundle for Kibana 8 and OpenSearch Dashboards 2.x', () => {
  const ndjson = toNdjson(savedObjects('proxitrace-'));
  const lines = ndjson.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; id: string; attributes: Record<string, unknown>; references: { name: string; type: string; id: string }[]; migrationVersion: Record<string, string> });
  const ids = new Set(lines.map((o) => `${o.type}:${o.id}`));

  it('holds one index pattern, a visualisation per view and a dashboard per question plus the overview', () => {
    expect(lines.filter((o) => o.type === 'index-pattern').map((o) => o.attributes.title)).toEqual(['proxitrace-analytics-figures-*']);
    expect(lines.filter((o) => o.type === 'visualization')).toHaveLength(VIEWS.length);
    expect(lines.filter((o) => o.type === 'dashboard').map((o) => o.id)).toEqual(QUESTIONS.map((q) => `proxitrace-dashboard-${q.id}`));
    expect(QUESTIONS.map((q) => q.id)).toEqual(['overview', 'where', 'isolation', 'reproduction', 'immunity']);
    expect(ids.size).toBe(lines.length);
  });

  it('sets every migration version, none newer than OpenSearch Dashboards knows, and no Kibana-only version fields', () => {
    for (const o of lines) {
      expect(Object.keys(o.migrationVersion)).toEqual([o.type]);
      expect(notNewer(o.migrationVersion[o.type]!, OSD_LATEST[o.type]!), `${o.id}`).toBe(true);
      expect(o).not.toHaveProperty('coreMigrationVersion');
      expect(o).not.toHaveProperty('typeMigrationVersion');
    }
    expect(MIGRATION_VERSIONS).toEqual({ 'index-pattern': '7.6.0', visualization: '7.10.0', dashboard: '7.9.3' });
  });

  it('parses every JSON string inside, and every reference name and target exists', () => {
    for (const o of lines) {
      const refNames = new Set(o.references.map((r) => r.name));
      for (const r of o.references) expect(ids.has(`${r.type}:${r.id}`), `${o.id} → ${r.id}`).toBe(true);
      if (o.type === 'visualization') {
        expect(Object.keys(o.attributes).filter((k) => !KIBANA_VISUALIZATION_KEYS.has(k))).toEqual([]);
        const visState = JSON.parse(o.attributes.visState as string) as { type: string; aggs: { type: string; params: { field: string } }[] };
        expect(['line', 'histogram', 'table']).toContain(visState.type);
        expect(visState.aggs.length).toBeGreaterThan(1);
        JSON.parse(o.attributes.uiStateJSON as string);
        const source = JSON.parse((o.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }).searchSourceJSON) as { indexRefName: string; query: { language: string } };
        expect(refNames.has(source.indexRefName)).toBe(true);
        expect(source.query.language).toBe('kuery');
      }
      if (o.type === 'dashboard') {
        const panels = JSON.parse(o.attributes.panelsJSON as string) as { panelRefName: string; gridData: { x: number; w: number } }[];
        expect(panels.length).toBeGreaterThan(0);
        for (const p of panels) {
          expect(refNames.has(p.panelRefName)).toBe(true);
          expect(p.gridData.x + p.gridData.w).toBeLessThanOrEqual(48);
        }
        JSON.parse(o.attributes.optionsJSON as string);
      }
    }
  });

  it('aggregates only the figures, each metric as the max of its bucket so a withheld cell stays blank', () => {
    for (const o of lines.filter((l) => l.type === 'visualization')) {
      const { aggs } = JSON.parse(o.attributes.visState as string) as { aggs: { type: string; schema: string; params: { field: string } }[] };
      for (const a of aggs.filter((x) => x.schema === 'metric')) expect(a.type).toBe('max');
      for (const a of aggs.filter((x) => x.schema !== 'metric')) expect(['date_histogram', 'terms']).toContain(a.type);
    }
  });
});
