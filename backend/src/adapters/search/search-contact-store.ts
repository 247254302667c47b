import { mergeContacts, type Contact } from '../../domain/contacts/contact.js';
import type { DeviceNumber } from '../../domain/device.js';
import type { ApplyResult, ContactStore, ContactStoreStats, ReporterUploads, StoredBatch } from '../../ports/contact-store.js';
import type { ContactIndexNames } from './contact-indices.js';
import {
  APPLIED_BATCH_TOTALS_BODY,
  appliedBatchOperations,
  batchesOfReporterQuery,
  bulkItemError,
  contactsBetweenQuery,
  contactsOfDeviceQuery,
  contactsDuringQuery,
  contactsOfQuery,
  fromSource,
  INDEX_AGES_BODY,
  indexAgesFrom,
  mergeFailure,
  olderThanQuery,
  SEARCH_PAGE_SIZE,
  searchPageBody,
  uploadsDuringBody,
  uploadsPageFrom,
  type Query,
  type SortValues,
} from './contact-search-requests.js';
import { writeContacts } from './contact-writes.js';
import type { SearchEngine } from './search-engine.js';

interface PendingBatch {
  batch: StoredBatch;
  resolve: (result: ApplyResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Contacts in a search engine (OpenSearch or Elasticsearch). Each contact has a deterministic index
 * and `_id` and is inserted, or merged by the domain into the stored one (see writeContacts), so
 * applying a batch is idempotent; the applied-batches index keeps
 * one document per batch key, written only after every contact of the batch merged. A crash in
 * between leaves the batch unrecorded, and its redelivery merges the same contacts again: a no-op.
 *
 * Batches applied in the same turn of the event loop (a consumer invocation processes its records
 * in parallel) share one multi-get, one `_bulk` of contacts (plus a read and a `_bulk` for those
 * already stored) and one `_bulk` of batch records, and still succeed or fail one by one.
 *
 * Writes do not wait for a refresh (that would cost every consumer invocation up to a refresh
 * interval); the tracer's reads and the deletions refresh the contact indices first instead, so
 * they see every contact merged before them, by any instance. Reads are rare next to writes.
 */
export class SearchContactStore implements ContactStore {
  private pending: PendingBatch[] = [];

  constructor(
    private readonly engine: SearchEngine,
    private readonly names: ContactIndexNames,
    private readonly now: () => Date = () => new Date(),
  ) {}

  applyBatch(batch: StoredBatch): Promise<ApplyResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.applyPending());
    });
  }

  async contactsOf(devices: readonly DeviceNumber[], since: Date): Promise<Contact[]> {
    if (devices.length === 0) return [];
    return this.searchAll(contactsOfQuery(devices, since));
  }

  contactsBetween(a: DeviceNumber, b: DeviceNumber): Promise<Contact[]> {
    return this.searchAll(contactsBetweenQuery(a, b));
  }

  async *contactPagesDuring(from: Date, until: Date): AsyncIterable<Contact[]> {
    await this.engine.refresh(this.names.contactsPattern);
    let searchAfter: SortValues | undefined;
    for (;;) {
      const { hits } = await this.engine.search(this.names.contactsPattern, searchPageBody(contactsDuringQuery(from, until), searchAfter));
      if (hits.length > 0) yield hits.map((hit) => fromSource(hit.source));
      if (hits.length < SEARCH_PAGE_SIZE) return;
      searchAfter = hits[hits.length - 1]!.sort;
    }
  }

  async uploadsDuring(from: Date, until: Date): Promise<ReporterUploads[]> {
    await this.engine.refresh(this.names.appliedBatches);
    const uploads: ReporterUploads[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const { aggregations } = await this.engine.search(this.names.appliedBatches, uploadsDuringBody(from, until, after));
      const page = uploadsPageFrom(aggregations);
      uploads.push(...page.rows.map((r) => ({ reporter: r.reporter, uploads: r.uploads, observations: r.observations, lastUploadAt: new Date(r.last) })));
      after = page.after;
    } while (after);
    return uploads;
  }

  async deleteFor(device: DeviceNumber): Promise<number> {
    await this.engine.refresh(`${this.names.contactsPattern},${this.names.appliedBatches}`);
    await this.engine.deleteByQuery(this.names.appliedBatches, batchesOfReporterQuery(device));
    return this.engine.deleteByQuery(this.names.contactsPattern, contactsOfDeviceQuery(device));
  }

  /**
   * Drops every daily index whose newest contact is older than `before` (cheap: no per-document
   * deletes, no merges), then deletes the older contacts of the indices that straddle the limit.
   */
  async purgeOlderThan(before: Date): Promise<number> {
    await this.engine.refresh(`${this.names.contactsPattern},${this.names.appliedBatches}`);
    await this.engine.deleteByQuery(this.names.appliedBatches, olderThanQuery('appliedAt', before));
    const { aggregations } = await this.engine.search(this.names.contactsPattern, INDEX_AGES_BODY);
    const expired = indexAgesFrom(aggregations).filter((age) => age.newest < before.getTime());
    if (expired.length > 0) await this.engine.deleteIndices(expired.map((age) => age.index));
    const dropped = expired.reduce((sum, age) => sum + age.contacts, 0);
    return dropped + (await this.engine.deleteByQuery(this.names.contactsPattern, olderThanQuery('lastSeen', before)));
  }

  async stats(): Promise<ContactStoreStats> {
    await this.engine.refresh(`${this.names.contactsPattern},${this.names.appliedBatches}`);
    const [contacts, batches] = await Promise.all([
      this.engine.count(this.names.contactsPattern),
      this.engine.search(this.names.appliedBatches, APPLIED_BATCH_TOTALS_BODY),
    ]);
    const observations = batches.aggregations?.observations as { value?: number } | undefined;
    return { contacts, batchesApplied: batches.total, observationsApplied: observations?.value ?? 0 };
  }

  private async applyPending(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    try {
      const applied = await this.engine.documentsExist(this.names.appliedBatches, group.map((p) => p.batch.batchKey));
      const seenKeys = new Set<string>();
      const fresh: PendingBatch[] = [];
      group.forEach((p, i) => {
        // A key already applied, or twice in this group (its second copy waits for the next delivery).
        if (applied[i] || seenKeys.has(p.batch.batchKey)) p.resolve({ alreadyApplied: true });
        else fresh.push(p);
        seenKeys.add(p.batch.batchKey);
      });
      const merged = await this.mergeAll(fresh);
      await this.recordAll(merged);
    } catch (error) {
      for (const p of group) p.reject(error);
    }
  }

  /**
   * Stores every fresh batch's contacts together (a contact in several batches merged here first);
   * rejects the batches with a contact that failed.
   */
  private async mergeAll(batches: PendingBatch[]): Promise<PendingBatch[]> {
    const unique = new Map<string, Contact>();
    for (const p of batches) for (const c of p.batch.contacts) unique.set(c.id, unique.has(c.id) ? mergeContacts(unique.get(c.id)!, c) : c);
    if (unique.size === 0) return batches;
    const failed = await writeContacts(this.engine, this.names, [...unique.values()]);
    return batches.filter((p) => {
      const failures = p.batch.contacts.map((c) => failed.get(c.id)).filter((e) => e !== undefined);
      if (failures.length > 0) p.reject(mergeFailure(failures, p.batch.contacts.length));
      return failures.length === 0;
    });
  }

  /** Records the merged batches as applied; a 409 means another consumer recorded it meanwhile. */
  private async recordAll(batches: PendingBatch[]): Promise<void> {
    if (batches.length === 0) return;
    // The multi-get above is real time; stats() refreshes this small index itself.
    const { items } = await this.engine.bulk(appliedBatchOperations(this.names, batches.map((p) => p.batch), this.now()));
    batches.forEach((p, i) => {
      const error = bulkItemError(items[i], 409);
      if (error) p.reject(new Error(`batch ${p.batch.batchKey} merged but was not recorded (${error.type}: ${error.reason}); it is retried`));
      else p.resolve({ alreadyApplied: Object.values(items[i] ?? {})[0]?.status === 409 });
    });
  }

  private async searchAll(query: Query): Promise<Contact[]> {
    await this.engine.refresh(this.names.contactsPattern);
    const contacts: Contact[] = [];
    let searchAfter: SortValues | undefined;
    for (;;) {
      const { hits } = await this.engine.search(this.names.contactsPattern, searchPageBody(query, searchAfter));
      contacts.push(...hits.map((hit) => fromSource(hit.source)));
      if (hits.length < SEARCH_PAGE_SIZE) return contacts;
      searchAfter = hits[hits.length - 1]!.sort;
    }
  }
}
