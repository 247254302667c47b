import { randomUUID } from 'node:crypto';
import type { EmbeddedServices } from '../../src/composition/embedded.js';
import type { Device } from '../../src/domain/device.js';
import { townBatches, type TownOptions } from './town-encounters.js';

/**
 * The fast way to a large store: the composition's own adapters (devices.ensureDevice and the
 * contact store's applyBatch, the port's batch write), thousands of them in one group
 * transaction, on a connection opened for the fill (openServices with `fill`), the contacts in id
 * order (see townBatches). The contacts' secondary indexes, whose keys would arrive in no order,
 * are dropped for the fill and built again at its end from the schema's own statements: one sort
 * each instead of millions of writes to random pages. The rows are those the adapters write for
 * uploads; what is skipped is the HTTP acceptance, the queue and the decryption, which the
 * measured phases go through.
 */
export interface FillClock {
  now: Date;
}

export interface FillResult {
  encounters: number;
  batches: number;
  /** The whole fill, the index build included. */
  seconds: number;
  indexBuildSeconds: number;
}

/** Registers `count` devices as a first sign-in does (ensureDevice), `perTransaction` at a time. */
export async function registerDevices(services: EmbeddedServices, count: number, at: Date, perTransaction = 5000): Promise<Device[]> {
  const devices: Device[] = [];
  for (let done = 0; done < count; done += perTransaction) {
    const n = Math.min(perTransaction, count - done);
    devices.push(...(await Promise.all(Array.from({ length: n }, () => services.devices.ensureDevice(randomUUID(), at)))));
  }
  return devices;
}

/**
 * Stores the town's contacts, about `contactsPerTransaction` per transaction; the clock is moved to
 * each batch's time first, so that its applied-batch record carries it.
 */
export async function fillTown(
  services: EmbeddedServices,
  clock: FillClock,
  town: TownOptions,
  options: { contactsPerTransaction: number; onProgress: (encounters: number) => void },
): Promise<FillResult> {
  const started = performance.now();
  const db = services.database.db;
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  let pending: Promise<unknown>[] = [];
  let pendingContacts = 0;
  let encounters = 0;
  let batches = 0;
  for (const batch of townBatches(town)) {
    clock.now = batch.appliedAt;
    pending.push(
      services.contacts.applyBatch({ batchKey: `${batch.reporter}:${randomUUID()}`, reporter: batch.reporter, contacts: batch.contacts, observationCount: batch.observationCount }),
    );
    pendingContacts += batch.contacts.length;
    encounters += batch.observationCount / 2;
    batches++;
    if (pendingContacts >= options.contactsPerTransaction) {
      await Promise.all(pending);
      pending = [];
      pendingContacts = 0;
      options.onProgress(encounters);
    }
  }
  await Promise.all(pending);
  options.onProgress(encounters);
  const built = performance.now();
  for (const index of indexes) db.exec(index.sql);
  const indexBuildSeconds = (performance.now() - built) / 1000;
  return { encounters, batches, seconds: (performance.now() - started) / 1000, indexBuildSeconds };
}
