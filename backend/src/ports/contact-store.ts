import type { Contact } from '../domain/contacts/contact.js';
import type { DeviceNumber } from '../domain/device.js';

export interface StoredBatch {
  /** The queue's dedup key for the batch: applying the same key twice changes nothing. */
  batchKey: string;
  contacts: readonly Contact[];
  observationCount: number;
}

export interface ApplyResult {
  alreadyApplied: boolean;
}

/** Where contacts live for tracing and for the health officials' analytics. */
export interface ContactStore {
  /** Merges the batch's contacts into the store, atomically and at most once per batchKey. */
  applyBatch(batch: StoredBatch): Promise<ApplyResult>;
  /** Contacts involving any of `devices` that were still going on after `since`. */
  contactsOf(devices: readonly DeviceNumber[], since: Date): Promise<Contact[]>;
  /** Every contact between the two devices. */
  contactsBetween(a: DeviceNumber, b: DeviceNumber): Promise<Contact[]>;
  deleteFor(device: DeviceNumber): Promise<number>;
  /** Drops contacts that ended before `before` (retention); returns how many. */
  purgeOlderThan(before: Date): Promise<number>;
  stats(): Promise<ContactStoreStats>;
}

export interface ContactStoreStats {
  contacts: number;
  batchesApplied: number;
  observationsApplied: number;
}
