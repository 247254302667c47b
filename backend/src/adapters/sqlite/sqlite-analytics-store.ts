import type { FigureDocument } from '../../domain/analytics/figures.js';
import type { FigureView, GroupField, ViewRow } from '../../domain/analytics/figure-views.js';
import { ANALYTICS_FAMILIES, type AnalyticsFamily } from '../../domain/analytics/pseudonym.js';
import type { ActivityRecord, CaseRecord, EncounterRecord, NotificationRecord } from '../../domain/analytics/records.js';
import { ALL_REGIONS } from '../../domain/analytics/regions.js';
import type { AnalyticsIndex, AnalyticsRetention, AnalyticsStore } from '../../ports/analytics-store.js';
import type { SqliteDatabase } from './sqlite-database.js';

const PAGE_SIZE = 1000;
const COLUMN: Record<GroupField, string> = { weekStart: 'week_start', region: 'region', degree: 'degree' };

/**
 * The analytics store on its own SQLite file. Records are kept whole as JSON, beside the columns
 * that find them: pseudonyms (erasure), their time (ranges, retention). The views run as SQL: the
 * figure documents grouped as the dashboards group them, each figure the max over its group.
 */
export class SqliteAnalyticsStore implements AnalyticsStore {
  constructor(private readonly store: SqliteDatabase) {}

  putCases(records: readonly CaseRecord[]): Promise<void> {
    return this.put('cases', records.map((r) => [r.id, r.device, r.reportedAt, r]));
  }

  putNotifications(records: readonly NotificationRecord[]): Promise<void> {
    return this.put('notifications', records.map((r) => [r.id, r.device, r.issuedAt, r]));
  }

  putActivity(records: readonly ActivityRecord[]): Promise<void> {
    return this.put('activity', records.map((r) => [r.id, r.device, r.day, r]));
  }

  async putEncounters(records: readonly EncounterRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.store.write(() => {
      const upsert = this.store.statement('INSERT OR REPLACE INTO encounters (id, device, device_other, at, record) VALUES (?, ?, ?, ?, ?)');
      for (const r of records) upsert.run(r.id, r.deviceLow, r.deviceHigh, r.day, JSON.stringify(r));
    });
  }

  async replaceFigures(weeks: readonly number[], documents: readonly FigureDocument[]): Promise<void> {
    await this.store.write(() => {
      const remove = this.store.statement('DELETE FROM figures WHERE week_start = ?');
      for (const week of weeks) remove.run(week);
      const insert = this.store.statement('INSERT OR REPLACE INTO figures (id, kind, week_start, region, degree, document) VALUES (?, ?, ?, ?, ?, ?)');
      for (const d of documents) insert.run(d.id, d.kind, d.weekStart, d.region, d.kind === 'degree-week' ? d.degree : null, JSON.stringify(d));
    });
  }

  async casesBetween(from: number, until: number): Promise<CaseRecord[]> {
    return this.records<CaseRecord>('SELECT record FROM cases WHERE at >= ? AND at < ? ORDER BY at, id', from, until);
  }

  async casesOfDevices(pseudonyms: readonly string[]): Promise<CaseRecord[]> {
    if (pseudonyms.length === 0) return [];
    return this.records<CaseRecord>(`SELECT record FROM cases WHERE device IN (${pseudonyms.map(() => '?').join(',')}) ORDER BY at`, ...pseudonyms);
  }

  notificationPages(from: number, until: number): AsyncIterable<NotificationRecord[]> {
    return this.pages<NotificationRecord>('notifications', from, until);
  }

  encounterPages(from: number, until: number): AsyncIterable<EncounterRecord[]> {
    return this.pages<EncounterRecord>('encounters', from, until);
  }

  activityPages(from: number, until: number): AsyncIterable<ActivityRecord[]> {
    return this.pages<ActivityRecord>('activity', from, until);
  }

  async figures(from: number, until: number): Promise<FigureDocument[]> {
    return this.store.read(() =>
      (this.store.statement('SELECT document FROM figures WHERE week_start >= ? AND week_start < ? ORDER BY week_start, id').all(from, until) as { document: string }[]).map(
        (r) => JSON.parse(r.document) as FigureDocument,
      ),
    );
  }

  async viewRows(view: FigureView, from: number, until: number): Promise<ViewRow[]> {
    const groups = view.groupBy.map((g) => COLUMN[g]);
    const metrics = view.metrics.map((m, i) => `max(json_extract(document, '$.${m.field}')) AS m${i}`);
    const regionFilter = view.regions === 'all' ? 'region = ?' : 'region <> ?';
    const degreeFilter = view.degree === undefined ? '' : ` AND degree = ${Number(view.degree)}`;
    const sql = `SELECT ${[...groups, ...metrics].join(', ')} FROM figures WHERE kind = ? AND ${regionFilter}${degreeFilter} AND week_start >= ? AND week_start < ?
      GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}`;
    const rows = this.store.read(() => this.store.statement(sql).all(view.kind, ALL_REGIONS, from, until) as Record<string, number | string | null>[]);
    return rows.map((row) => {
      const out: ViewRow = { values: Object.fromEntries(view.metrics.map((m, i) => [m.field, (row[`m${i}`] as number | null) ?? null])) };
      for (const g of view.groupBy) (out as unknown as Record<string, unknown>)[g] = row[COLUMN[g]];
      return out;
    });
  }

  async deleteMentioning(pseudonyms: Readonly<Record<AnalyticsFamily, readonly string[]>>): Promise<number> {
    return this.store.write(() => {
      let deleted = 0;
      for (const family of ANALYTICS_FAMILIES) {
        const remove = this.store.statement(`DELETE FROM ${family} WHERE device = ?${family === 'encounters' ? ' OR device_other = ?' : ''}`);
        for (const p of pseudonyms[family]) deleted += remove.run(...(family === 'encounters' ? [p, p] : [p])).changes;
      }
      return deleted;
    });
  }

  purge(now: number, retention: AnalyticsRetention): Promise<Record<AnalyticsIndex, number>> {
    return this.store.write(() => {
      const purged = Object.fromEntries(
        ANALYTICS_FAMILIES.map((f) => [f, this.store.statement(`DELETE FROM ${f} WHERE at < ?`).run(now - retention[f]).changes]),
      ) as Record<AnalyticsIndex, number>;
      purged.figures = this.store.statement('DELETE FROM figures WHERE week_start < ?').run(now - retention.figures).changes;
      return purged;
    });
  }

  async counts(): Promise<Record<AnalyticsIndex, number>> {
    return this.store.read(
      () =>
        Object.fromEntries(
          [...ANALYTICS_FAMILIES, 'figures'].map((t) => [t, (this.store.statement(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
        ) as Record<AnalyticsIndex, number>,
    );
  }

  private async put(table: AnalyticsFamily, rows: readonly [string, string, number, object][]): Promise<void> {
    if (rows.length === 0) return;
    await this.store.write(() => {
      const upsert = this.store.statement(`INSERT OR REPLACE INTO ${table} (id, device, at, record) VALUES (?, ?, ?, ?)`);
      for (const [id, device, at, record] of rows) upsert.run(id, device, at, JSON.stringify(record));
    });
  }

  private records<T>(sql: string, ...params: (string | number)[]): T[] {
    return this.store.read(() => (this.store.statement(sql).all(...params) as { record: string }[]).map((r) => JSON.parse(r.record) as T));
  }

  private async *pages<T>(table: AnalyticsFamily, from: number, until: number): AsyncIterable<T[]> {
    const sql = `SELECT id, record FROM ${table} WHERE at >= ? AND at < ? AND id > ? ORDER BY id LIMIT ${PAGE_SIZE}`;
    let after = '';
    for (;;) {
      const rows = this.store.read(() => this.store.statement(sql).all(from, until, after) as { id: string; record: string }[]);
      if (rows.length > 0) yield rows.map((r) => JSON.parse(r.record) as T);
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.id;
    }
  }
}
