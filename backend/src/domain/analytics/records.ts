import type { RegionId } from './regions.js';

/**
 * What the analytics indices hold: pseudonymous records, one kind per index, derived from the
 * operational stores by the analytics job. No phone number, name, device number or coordinate:
 * people appear as per-index, per-week pseudonyms, places as regions, times as epoch ms.
 */

/** A verified infection. */
export interface CaseRecord {
  /** Pseudonym of the case (the key of its report week). */
  id: string;
  /** Pseudonym of the reporting device (same key). */
  device: string;
  reportedAt: number;
  /** Monday of the report week. */
  week: number;
  /** The day symptoms began, if reported (UTC midnight). */
  symptomOnsetDay?: number | undefined;
  region: RegionId;
  /** Pseudonyms of the cases whose first-degree warning the device held: its candidate infectors. */
  infectors: string[];
  /** When the same device last reported a case before this one, as far as the keys still held can tell. */
  previousCaseAt?: number | undefined;
}

/** A warning issued to a device (and perhaps raised, acknowledged), with what followed it. */
export interface NotificationRecord {
  id: string;
  device: string;
  degree: number;
  issuedAt: number;
  /** Monday of the issue week. */
  week: number;
  raisedAt?: number | undefined;
  acknowledgedAt?: number | undefined;
  exposedAt: number;
  region: RegionId;
  /** A case of this device reported after the exposure, within the incubation window. */
  laterCaseAt?: number | undefined;
  /** Isolation runs from the warning until this long after the exposure. */
  isolationEndsAt: number;
  /** The start of the first qualifying encounter during isolation, if any. */
  isolationBrokenAt?: number | undefined;
  /** Contacts and cases were looked at up to this time: the facts above are final once it passes their windows. */
  followedUpTo: number;
}

export const DURATION_BUCKETS = ['<5', '5-15', '15-30', '30-60', '>=60'] as const;
export type DurationBucket = (typeof DURATION_BUCKETS)[number];

/** Two devices' time near each other on one UTC day. */
export interface EncounterRecord {
  id: string;
  deviceLow: string;
  deviceHigh: string;
  day: number;
  week: number;
  region: RegionId;
  /** Separate encounters that day (a gap longer than the policy's starts a new one). */
  encounters: number;
  minutes: number;
  weightedMinutes: number;
  /** Observed minutes per attenuation bucket. */
  minutesImmediate: number;
  minutesNear: number;
  minutesMedium: number;
  minutesOther: number;
  minutesUnknown: number;
  durationBucket: DurationBucket;
  /** The bucket with the most minutes. */
  proximity: 'immediate' | 'near' | 'medium' | 'other' | 'unknown';
  /** Some encounter that day reached the exposure threshold. */
  qualifying: boolean;
}

/** A device that uploaded on one UTC day. */
export interface ActivityRecord {
  id: string;
  device: string;
  day: number;
  week: number;
  region: RegionId;
  uploads: number;
  observations: number;
  lastUploadAt: number;
}

export interface AnalyticsRecords {
  cases: CaseRecord[];
  notifications: NotificationRecord[];
  encounters: EncounterRecord[];
  activity: ActivityRecord[];
}
