import type { Contact } from '../domain/contacts/contact.js';
import type { DeviceNumber } from '../domain/device.js';

export interface StoredBatch {
  /** The queue's dedup key for the batch: applying the same key twice changes nothing. */
  batchKey: string;
  /** Who uploaded it: its applied-batch record is erased with the reporter. */
  reporter: DeviceNumber;
  contacts: readonly Contact[];
  observationCount: number;
}

export interface ApplyResult {
  alreadyApplied: boolean;
}

/** Where contacts live for tracing and for the health officials' analytics. */
export interface ContactStore {
  /** Merges the batch's contacts (their intervals canonical, as the domain builds them) into the store, atomically and at most once per batchKey. */
  applyBatch(batch: StoredBatch): Promise<ApplyResult>;
  /** Contacts involving any of `devices` that were still going on after `since`; sees every applyBatch that resolved before the call. */
  contactsOf(devices: readonly DeviceNumber[], since: Date): Promise<Contact[]>;
  /** Every contact between the two devices; sees every applyBatch that resolved before the call. */
  contactsBetween(a: DeviceNumber, b: DeviceNumber): Promise<Contact[]>;
  /**
   * Every contact still going on at `from` or later and begun before `until`, a page at a time in
   * id order, so that one pair's contacts (every window) come one after another (the analytics job).
   */
  contactPagesDuring(from: Date, until: Date): AsyncIterable<Contact[]>;
  /** Per reporter: the batches applied in [from, until), their observations and the last one's time. */
  uploadsDuring(from: Date, until: Date): Promise<ReporterUploads[]>;
  /** Deletes every contact of the device and the records of the batches it uploaded; returns how many contacts. */
  deleteFor(device: DeviceNumber): Promise<number>;
  /** Drops contacts that ended before `before` and batch records applied before it (retention); returns how many contacts. */
  purgeOlderThan(before: Date): Promise<number>;
  stats(): Promise<ContactStoreStats>;
}

export interface ReporterUploads {
  reporter: DeviceNumber;
  uploads: number;
  observations: number;
  lastUploadAt: Date;
}

export interface ContactStoreStats {
  contacts: number;
  batchesApplied: number;
  observationsApplied: number;
}
