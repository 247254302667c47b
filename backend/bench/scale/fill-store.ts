import { randomUUID } from 'node:crypto';
import type { EmbeddedServices } from '../../src/composition/embedded.js';
import type { Contact } from '../../src/domain/contacts/contact.js';
import type { Device } from '../../src/domain/device.js';
import { townBatches, type TownOptions } from './town-encounters.js';

/**
 * The fast way to a large store: the composition's own adapters (devices.ensureDevice and the
 * contact store's applyBatch, the port's batch write), thousands of them in one group
 * transaction, on a connection opened for the fill (openServices with `fill`). The rows are those
 * the adapters write for uploads; what is skipped is the HTTP acceptance, the queue and the
 * decryption, which the measured phases go through.
 */
export interface FillClock {
  now: Date;
}

export interface FillResult {
  encounters: number;
  batches: number;
  seconds: number;
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
 * Stores the town's contacts in time order, about `contactsPerTransaction` per transaction. Within
 * a transaction the contacts go in id order, cut again into batches of the same size: the same
 * rows and as many applied-batch records, but each B-tree page is visited once per transaction
 * instead of once per contact. The clock is set to the transaction's last hour, which its
 * applied-batch records then carry.
 */
export async function fillTown(
  services: EmbeddedServices,
  clock: FillClock,
  town: TownOptions,
  options: { contactsPerTransaction: number; onProgress: (encounters: number) => void },
): Promise<FillResult> {
  const started = performance.now();
  let group: Contact[] = [];
  let encounters = 0;
  let batches = 0;
  let perBatch = 0;
  const store = async () => {
    group.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < group.length; i += perBatch) {
      const contacts = group.slice(i, i + perBatch);
      const reporter = contacts[0]!.deviceLow;
      writes.push(services.contacts.applyBatch({ batchKey: `${reporter}:${randomUUID()}`, reporter, contacts, observationCount: 2 * contacts.length }));
      batches++;
    }
    group = [];
    await Promise.all(writes);
    options.onProgress(encounters);
  };
  for (const batch of townBatches(town)) {
    perBatch ||= batch.contacts.length;
    clock.now = batch.appliedAt;
    for (const contact of batch.contacts) group.push(contact);
    encounters += batch.observationCount / 2;
    if (group.length >= options.contactsPerTransaction) await store();
  }
  if (group.length > 0) await store();
  return { encounters, batches, seconds: (performance.now() - started) / 1000 };
}
