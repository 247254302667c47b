import type { Contact } from '../../domain/contacts/contact.js';
import type { DeviceNumber } from '../../domain/device.js';
import type { ApplyResult, ContactStore, ContactStoreStats, StoredBatch } from '../../ports/contact-store.js';
import type { ContactIndexNames, ContactIndexSettings } from './contact-indices.js';
import {
  APPLIED_BATCH_TOTALS_BODY,
  appliedBatchDocument,
  appliedBatchesIndexBody,
  bulkFailure,
  contactsBetweenQuery,
  contactsOfDeviceQuery,
  contactsOfQuery,
  contactTemplateBody,
  fromSource,
  mergeOperations,
  olderThanQuery,
  SEARCH_PAGE_SIZE,
  searchPageBody,
  type Query,
  type SortValues,
} from './contact-search-requests.js';
import type { SearchEngine } from './search-engine.js';

export interface SearchContactStoreOptions {
  /**
   * `wait_for` (default): applyBatch resolves once its contacts are searchable, as the tracer
   * expects. `false` skips the wait, for analytics-only ingest with a long refresh interval.
   */
  refresh: 'wait_for' | false;
}

/** Installs the contacts index template and the applied-batches index (idempotent; run on start). */
export async function installContactIndices(engine: SearchEngine, names: ContactIndexNames, settings: ContactIndexSettings): Promise<void> {
  await engine.putIndexTemplate(names.template, contactTemplateBody(names, settings));
  await engine.createIndexIfMissing(names.appliedBatches, appliedBatchesIndexBody(settings));
}

/**
 * Contacts in a search engine (OpenSearch or Elasticsearch). Each contact is a scripted upsert with
 * a deterministic index and `_id`, so applying a batch is idempotent; the applied-batches index keeps
 * one document per batch key, written only after every contact of the batch merged. A crash in
 * between leaves the batch unrecorded, and its redelivery merges the same contacts again: a no-op.
 */
export class SearchContactStore implements ContactStore {
  constructor(
    private readonly engine: SearchEngine,
    private readonly names: ContactIndexNames,
    private readonly options: SearchContactStoreOptions = { refresh: 'wait_for' },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async applyBatch(batch: StoredBatch): Promise<ApplyResult> {
    if (await this.engine.documentExists(this.names.appliedBatches, batch.batchKey)) return { alreadyApplied: true };
    if (batch.contacts.length > 0) {
      const result = await this.engine.bulk(mergeOperations(this.names, batch.contacts), this.options.refresh);
      if (result.errors) throw bulkFailure(result.items, batch.contacts.length);
    }
    // No refresh: the check above is a real-time GET; stats() refreshes this small index itself.
    const created = await this.engine.createDocument(this.names.appliedBatches, batch.batchKey, appliedBatchDocument(batch.observationCount, this.now()));
    // Not created: another consumer recorded the same batch meanwhile; its contacts merged twice, harmlessly.
    return { alreadyApplied: !created };
  }

  async contactsOf(devices: readonly DeviceNumber[], since: Date): Promise<Contact[]> {
    if (devices.length === 0) return [];
    return this.searchAll(contactsOfQuery(devices, since));
  }

  contactsBetween(a: DeviceNumber, b: DeviceNumber): Promise<Contact[]> {
    return this.searchAll(contactsBetweenQuery(a, b));
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.engine.deleteByQuery(this.names.contactsPattern, contactsOfDeviceQuery(device));
  }

  async purgeOlderThan(before: Date): Promise<number> {
    await this.engine.deleteByQuery(this.names.appliedBatches, olderThanQuery('appliedAt', before));
    // Whole daily indices older than the retention could be dropped instead; delete_by_query is exact.
    return this.engine.deleteByQuery(this.names.contactsPattern, olderThanQuery('lastSeen', before));
  }

  async stats(): Promise<ContactStoreStats> {
    await this.engine.refresh(this.names.appliedBatches);
    const [contacts, batches] = await Promise.all([
      this.engine.count(this.names.contactsPattern),
      this.engine.search(this.names.appliedBatches, APPLIED_BATCH_TOTALS_BODY),
    ]);
    const observations = batches.aggregations?.observations as { value?: number } | undefined;
    return { contacts, batchesApplied: batches.total, observationsApplied: observations?.value ?? 0 };
  }

  private async searchAll(query: Query): Promise<Contact[]> {
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
