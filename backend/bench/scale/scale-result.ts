import type { InsertFigures } from './measure-inserts.js';
import type { DiskFigures, NotificationFigures } from './measure-notifications.js';
import type { TracingFigures } from './measure-tracing.js';
import type { SizingLimit } from './sizing-limit.js';

/** What one level of the store measured: the JSON result's `levels[]` and the page's points. */
export interface LevelResult {
  /** The level asked for (contacts); `storedContacts` is what the store held when measured. */
  level: number;
  storedContacts: number;
  /** Devices in the store (every town so far), and the users that many contacts make over the days. */
  devices: number;
  usersForContacts: number;
  /** The bulk fill that brought the store to this level: all of it, of which the contacts' index build. */
  fill: { contactsAdded: number; encounters: number; seconds: number; indexBuildSeconds: number; cpuSeconds: number; contactsPerSecond: number };
  /** count(*) of the contacts, as GET /v1/admin/stats runs it. */
  countSeconds: number;
  inserts: InsertFigures;
  /** The median of the timed cases (no statement tracing). */
  tracing: TracingFigures;
  /** Every timed case's seconds. */
  tracingSeconds: number[];
  /** A second case of the same shape, on a connection that counts its statements. */
  tracingCounted: TracingFigures;
  notifications: NotificationFigures;
  disk: DiskFigures & { bytesPerContact: number };
  loadAverage: number[];
}

export interface ScaleResult {
  benchmark: 'scale';
  at: string;
  command: string;
  machine: { cpus: number; node: string; memoryBytes: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  settings: { levels: number[]; days: number; uploads: number; polls: number; seed: number; fillCacheMb: number; contactsPerCase: number };
  levels: LevelResult[];
  /** Levels not reached, and why (not enough disk). */
  skipped: { level: number; reason: string }[];
  limit: SizingLimit;
}
