import type { FigureDocument } from '../domain/analytics/figures.js';
import type { FigureView, ViewRow } from '../domain/analytics/figure-views.js';
import type { AnalyticsFamily } from '../domain/analytics/pseudonym.js';
import type { ActivityRecord, CaseRecord, EncounterRecord, NotificationRecord } from '../domain/analytics/records.js';

export type AnalyticsIndex = AnalyticsFamily | 'figures';

/** Per analytics index: how long its records are kept, counted from the record's own time. */
export type AnalyticsRetention = Record<AnalyticsIndex, number>;

/**
 * The analytics store: pseudonymous records and derived figures, apart from the operational
 * stores (search: its own indices with templates and lifecycle policies; embedded: its own SQLite
 * file). Writes are upserts by record id, so re-deriving a period changes nothing twice.
 */
export interface AnalyticsStore {
  putCases(records: readonly CaseRecord[]): Promise<void>;
  putNotifications(records: readonly NotificationRecord[]): Promise<void>;
  putEncounters(records: readonly EncounterRecord[]): Promise<void>;
  putActivity(records: readonly ActivityRecord[]): Promise<void>;
  /** Replaces every figure document of these weeks with `documents`. */
  replaceFigures(weeks: readonly number[], documents: readonly FigureDocument[]): Promise<void>;

  /** Cases reported in [from, until). */
  casesBetween(from: number, until: number): Promise<CaseRecord[]>;
  /** Cases of any of these device pseudonyms (one per key still held). */
  casesOfDevices(pseudonyms: readonly string[]): Promise<CaseRecord[]>;
  /** Warnings issued in [from, until), a page at a time. */
  notificationPages(from: number, until: number): AsyncIterable<NotificationRecord[]>;
  /** Encounter and activity records of the days in [from, until), a page at a time. */
  encounterPages(from: number, until: number): AsyncIterable<EncounterRecord[]>;
  activityPages(from: number, until: number): AsyncIterable<ActivityRecord[]>;

  /** Figure documents of the weeks starting in [from, until). */
  figures(from: number, until: number): Promise<FigureDocument[]>;
  /** What a dashboard's view shows for the weeks starting in [from, until). */
  viewRows(view: FigureView, from: number, until: number): Promise<ViewRow[]>;

  /** Erasure: deletes every record that names one of these pseudonyms, per index; returns how many. */
  deleteMentioning(pseudonyms: Readonly<Record<AnalyticsFamily, readonly string[]>>): Promise<number>;
  /** Retention: deletes what is older than each index's period; returns how many per index. */
  purge(now: number, retention: AnalyticsRetention): Promise<Record<AnalyticsIndex, number>>;
  counts(): Promise<Record<AnalyticsIndex, number>>;
}
