import type { DeviceNumber } from '../device.js';

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** One token that a reporting device saw, as it uploads it. */
export interface Observation {
  token: string;
  firstSeen: Date;
  lastSeen: Date;
  /** Strongest signal in dBm, when the reporter measured it. */
  rssi?: number | undefined;
  location?: GeoPoint | undefined;
}

/** A batch of observations accepted from one reporter, as it travels through the queue. */
export interface ContactBatch {
  batchId: string;
  reporter: DeviceNumber;
  receivedAt: Date;
  observations: Observation[];
}

/** An observation whose token resolved to the advertising device. */
export interface ResolvedObservation {
  reporter: DeviceNumber;
  advertiser: DeviceNumber;
  windowStartMinute: number;
  firstSeen: Date;
  lastSeen: Date;
  rssi?: number | undefined;
  location?: GeoPoint | undefined;
}

export type DropReason = 'unknown_token' | 'expired_token' | 'stale_sighting' | 'self_contact' | 'erased_device';
