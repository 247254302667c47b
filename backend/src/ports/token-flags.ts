import type { DeviceNumber } from '../domain/device.js';
import type { RelayReason } from '../domain/exposure/token-relay.js';

/** A token window the tracer judged relayed or replayed: its contacts stay, but warn nobody. */
export interface TokenFlag {
  device: DeviceNumber;
  windowStartMinute: number;
  reason: RelayReason;
  /** Distinct devices that heard the token in the window when it was flagged. */
  reporters: number;
  flaggedAt: Date;
}

/** The flags officials review (GET /v1/admin/token-flags). */
export interface TokenFlags {
  /** Records flags; a (device, window) flagged before keeps its first record. */
  record(flags: readonly TokenFlag[]): Promise<void>;
  /** The newest first. */
  list(limit: number): Promise<TokenFlag[]>;
  deleteFor(device: DeviceNumber): Promise<number>;
  purgeOlderThan(before: Date): Promise<number>;
}
