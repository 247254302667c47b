import type { DeviceNumber } from '../device.js';

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** One token that a reporting device saw, as it uploads it: one continuous interval of sightings. */
export interface Observation {
  token: string;
  firstSeen: Date;
  lastSeen: Date;
  /** Strongest signal in dBm, when the reporter measured it. */
  rssi?: number | undefined;
  /** Mean signal of the sightings in dBm (API v1.1; older clients send only `rssi`). */
  rssiMean?: number | undefined;
  /** Advertisement reports received between firstSeen and lastSeen (API v1.1). */
  sightings?: number | undefined;
  /** TX power the advertiser announced, dBm (API v1.1). */
  txPower?: number | undefined;
  location?: GeoPoint | undefined;
}

/** A batch of observations accepted from one reporter, as it travels through the queue. */
export interface ContactBatch {
  batchId: string;
  reporter: DeviceNumber;
  receivedAt: Date;
  observations: Observation[];
}

/** An observation whose token resolved to the advertising device, clipped to the token's window. */
export interface ResolvedObservation extends Omit<Observation, 'token'> {
  reporter: DeviceNumber;
  advertiser: DeviceNumber;
  windowStartMinute: number;
}

/**
 * Why an observation was not stored: no active key verifies its token, it lies wholly outside the
 * token's validity window (plus grace), it ended longer ago than the lookback, the reporter saw its
 * own token, or one of the two devices was erased.
 */
export const DROP_REASONS = ['unknown_token', 'outside_window', 'too_old', 'self_contact', 'erased_device'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export function noDrops(): Record<DropReason, number> {
  return { unknown_token: 0, outside_window: 0, too_old: 0, self_contact: 0, erased_device: 0 };
}
