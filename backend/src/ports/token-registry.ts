import type { DeviceNumber } from '../domain/device.js';

export interface TokenIssuance {
  device: DeviceNumber;
  /** The token itself is not kept: only which window was issued under which key. */
  windowStart: Date;
  validUntil: Date;
  keyId: number;
}

/** Durable record of which tokens were issued to whom, kept until the token expires. */
export interface TokenRegistry {
  /** Resolves once the issuance is durable; re-recording the same windows is a no-op. */
  recordIssued(issuances: readonly TokenIssuance[]): Promise<void>;
  countFor(device: DeviceNumber): Promise<number>;
  /** Deletes the device's issuance records and returns how many there were. */
  deleteFor(device: DeviceNumber): Promise<number>;
  /** Deletes records whose validity ended before `before`; returns how many. */
  purgeExpired(before: Date): Promise<number>;
}
