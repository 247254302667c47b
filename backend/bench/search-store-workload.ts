import { randomUUID } from 'node:crypto';
import type { SearchContactStore } from '../src/adapters/search/search-contact-store.js';
import { contactsFromObservations } from '../src/domain/contacts/contact.js';
import type { ResolvedObservation } from '../src/domain/contacts/observation.js';
import type { StoredBatch } from '../src/ports/contact-store.js';
import { EncounterWorkload } from './encounter-workload.js';

/**
 * The encounter workload's uploads as the consumer hands them to the contact store: each upload's
 * observations resolved (device i advertises token `i`, one token window) and folded into contacts
 * by the domain, one batch per upload, under a fresh batch key.
 */
export class StoredBatchWorkload {
  private readonly uploads: EncounterWorkload;
  private readonly windowStartMinute: number;

  constructor(devices: number, repeatEvery: number, now: Date) {
    const from = new Date(now.getTime() - 50 * 60_000);
    this.windowStartMinute = Math.floor(from.getTime() / 60_000 / 180) * 180;
    const tokens = Array.from({ length: devices }, (_, i) => String(i));
    this.uploads = new EncounterWorkload({ tokens, repeatEvery, from, to: new Date(now.getTime() - 60_000) });
  }

  get counts() {
    return this.uploads.counts;
  }

  next(): StoredBatch {
    const upload = this.uploads.next();
    const reporter = upload.device + 1;
    const resolved: ResolvedObservation[] = upload.observations.map((o) => ({
      reporter,
      advertiser: Number(o.token) + 1,
      windowStartMinute: this.windowStartMinute,
      firstSeen: new Date(o.firstSeen),
      lastSeen: new Date(o.lastSeen),
      rssi: o.rssi,
    }));
    return { batchKey: `${reporter}:${randomUUID()}`, reporter, contacts: contactsFromObservations(resolved), observationCount: upload.observations.length };
  }
}

export interface ConsumerRun {
  batches: number;
  observations: number;
  seconds: number;
}

/**
 * Drives the store as the SQS consumer does: `consumers` invocations at a time, each applying
 * `batchesPerInvocation` batches at once (so they share one multi-get and one merge bulk), for
 * `durationMs` or until about `maxBatches` were applied.
 */
export async function runConsumers(store: SearchContactStore, workload: StoredBatchWorkload, options: { consumers: number; batchesPerInvocation: number; durationMs: number; maxBatches?: number; onProgress?: (observations: number) => void }): Promise<ConsumerRun> {
  const started = performance.now();
  const deadline = started + options.durationMs;
  let batches = 0;
  let observations = 0;
  const consumer = async () => {
    while (performance.now() < deadline && batches < (options.maxBatches ?? Infinity)) {
      const invocation = Array.from({ length: options.batchesPerInvocation }, () => workload.next());
      const results = await Promise.all(invocation.map((batch) => store.applyBatch(batch)));
      if (results.some((r) => r.alreadyApplied)) throw new Error('a fresh batch key was reported as already applied');
      batches += invocation.length;
      observations += invocation.reduce((sum, b) => sum + b.observationCount, 0);
      options.onProgress?.(observations);
    }
  };
  await Promise.all(Array.from({ length: options.consumers }, consumer));
  return { batches, observations, seconds: (performance.now() - started) / 1000 };
}
