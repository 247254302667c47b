import * as z from 'zod';
import type { EpidemiologyPolicy } from '../domain/analytics/epidemiology/policy.js';
import { adminAreaRegions, geohashRegions, type RegionScheme } from '../domain/analytics/regions.js';
import { readAdminAreas } from './admin-areas-file.js';
import type { ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import { daysToMs } from '../domain/time.js';
import type { AnalyticsRetention } from '../ports/analytics-store.js';
import { decimal, integer } from './env-schema.js';

/** The analytics variables (README, "Analytics"), part of the one environment schema. */
export const analyticsEnvShape = {
  ANALYTICS_MIN_CELL_SIZE: integer(10, { min: 2, max: 1000 }),
  ANALYTICS_GEOHASH_PRECISION: integer(5, { min: 1, max: 6 }),
  ANALYTICS_REGIONS_FILE: z.string().trim().optional(),
  ANALYTICS_INCUBATION_DAYS: integer(14, { min: 1, max: 60 }),
  ANALYTICS_ISOLATION_DAYS: integer(10, { min: 1, max: 60 }),
  ANALYTICS_REINFECTION_DAYS: integer(90, { min: 14, max: 3650 }),
  ANALYTICS_SERIAL_INTERVAL_MEAN_DAYS: decimal(4.7, { min: 1.1, max: 60 }),
  ANALYTICS_SERIAL_INTERVAL_SD_DAYS: decimal(2.9, { min: 0.1, max: 60 }),
  ANALYTICS_LATE_DATA_DAYS: integer(1, { min: 0, max: 14 }),
  ANALYTICS_WINDOW_DAYS: integer(14, { min: 1, max: 60 }),
  ANALYTICS_INTERVAL_MINUTES: integer(60, { min: 1, max: 7 * 1440 }),
  ANALYTICS_CASE_RETENTION_DAYS: integer(400, { min: 30, max: 3650 }),
  ANALYTICS_NOTIFICATION_RETENTION_DAYS: integer(90, { min: 30, max: 3650 }),
  ANALYTICS_ENCOUNTER_RETENTION_DAYS: integer(28, { min: 7, max: 3650 }),
  ANALYTICS_ACTIVITY_RETENTION_DAYS: integer(90, { min: 7, max: 3650 }),
  ANALYTICS_FIGURE_RETENTION_DAYS: integer(730, { min: 30, max: 36500 }),
};

type AnalyticsEnv = z.output<z.ZodObject<typeof analyticsEnvShape>> & { RETENTION_DAYS: number; NOTIFICATION_RETENTION_DAYS: number };

export interface AnalyticsConfig {
  regions: RegionScheme;
  /** How regions are drawn, for the report: "geohash cells of precision 5" or the boundaries file. */
  regionsDescription: string;
  epidemiology: EpidemiologyPolicy;
  retention: AnalyticsRetention;
  /** How far back each scheduled run re-derives records from the operational stores. */
  windowMs: number;
  /** How long the operational contact store keeps contacts (RETENTION_DAYS): older whereabouts are gone. */
  contactsRetentionMs: number;
  /** How often the local stack runs the job (EventBridge's schedule in AWS). */
  intervalMs: number;
}

/** Region-scheme and retention problems that only a combination of variables shows. */
export function analyticsProblems(e: AnalyticsEnv): string[] {
  const problems: string[] = [];
  // Each run places people by their contacts of the 7 days before; those must still be stored.
  if (e.ANALYTICS_WINDOW_DAYS + 7 > e.RETENTION_DAYS) problems.push(`  ANALYTICS_WINDOW_DAYS (${e.ANALYTICS_WINDOW_DAYS}): must be at most RETENTION_DAYS − 7 (${e.RETENTION_DAYS - 7}): runs read the contacts of the week before each event`);
  if (e.ANALYTICS_WINDOW_DAYS > e.NOTIFICATION_RETENTION_DAYS) problems.push(`  ANALYTICS_WINDOW_DAYS (${e.ANALYTICS_WINDOW_DAYS}): must be at most NOTIFICATION_RETENTION_DAYS (${e.NOTIFICATION_RETENTION_DAYS})`);
  if (e.ANALYTICS_CASE_RETENTION_DAYS < e.ANALYTICS_REINFECTION_DAYS + 7) problems.push(`  ANALYTICS_CASE_RETENTION_DAYS (${e.ANALYTICS_CASE_RETENTION_DAYS}): must be at least ANALYTICS_REINFECTION_DAYS + 7 (${e.ANALYTICS_REINFECTION_DAYS + 7}): a reinfection is found through the earlier case`);
  // The retentions a week's follow-up needs: application/analytics/follow-up-retention.ts (checked where the job is composed).
  return problems;
}

export function analyticsConfigOf(e: AnalyticsEnv, exposure: ExposurePolicy): AnalyticsConfig {
  const cells = geohashRegions(e.ANALYTICS_GEOHASH_PRECISION);
  const file = e.ANALYTICS_REGIONS_FILE;
  return {
    regions: file ? adminAreaRegions(readAdminAreas(file, e.ANALYTICS_GEOHASH_PRECISION), cells) : cells,
    regionsDescription: file ? `admin areas from ${file} (geohash cells of precision ${e.ANALYTICS_GEOHASH_PRECISION} outside them)` : `geohash cells of precision ${e.ANALYTICS_GEOHASH_PRECISION}`,
    epidemiology: {
      minCellSize: e.ANALYTICS_MIN_CELL_SIZE,
      incubationMs: daysToMs(e.ANALYTICS_INCUBATION_DAYS),
      isolationMs: daysToMs(e.ANALYTICS_ISOLATION_DAYS),
      reinfectionAfterMs: daysToMs(e.ANALYTICS_REINFECTION_DAYS),
      serialInterval: { meanDays: e.ANALYTICS_SERIAL_INTERVAL_MEAN_DAYS, sdDays: e.ANALYTICS_SERIAL_INTERVAL_SD_DAYS },
      lateDataMs: daysToMs(e.ANALYTICS_LATE_DATA_DAYS),
      hopProbability: exposure.hopProbability,
    },
    retention: {
      cases: daysToMs(e.ANALYTICS_CASE_RETENTION_DAYS),
      notifications: daysToMs(e.ANALYTICS_NOTIFICATION_RETENTION_DAYS),
      encounters: daysToMs(e.ANALYTICS_ENCOUNTER_RETENTION_DAYS),
      activity: daysToMs(e.ANALYTICS_ACTIVITY_RETENTION_DAYS),
      figures: daysToMs(e.ANALYTICS_FIGURE_RETENTION_DAYS),
    },
    windowMs: daysToMs(e.ANALYTICS_WINDOW_DAYS),
    contactsRetentionMs: daysToMs(e.RETENTION_DAYS),
    intervalMs: e.ANALYTICS_INTERVAL_MINUTES * 60_000,
  };
}
