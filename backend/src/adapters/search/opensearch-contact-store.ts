import type { Client } from '@opensearch-project/opensearch';
import type { Contact } from '../../domain/contacts/contact.js';
import type { DeviceNumber } from '../../domain/device.js';
import type { ApplyResult, ContactStore, ContactStoreStats, StoredBatch } from '../../ports/contact-store.js';
import { contactIndexFor, type ContactIndexNames } from './contact-indices.js';
import { MERGE_CONTACT_SCRIPT } from './merge-contact.painless.js';

export interface OpenSearchContactStoreOptions {
  /**
   * `wait_for` (default): applyBatch resolves once its contacts are searchable, as the tracer
   * expects. `false` skips the wait, for analytics-only ingest with a long refresh interval.
   */
  refresh: 'wait_for' | false;
}

interface ContactSource {
  id: string;
  deviceLow: number;
  deviceHigh: number;
  windowStartMinute: number;
  firstSeen: number;
  lastSeen: number;
  reportedByLow: boolean;
  reportedByHigh: boolean;
  maxRssi?: number;
  location?: { lat: number; lon: number };
}

const PAGE_SIZE = 1000;
const RETRY_ON_CONFLICT = 5;

/**
 * Contacts in OpenSearch (or Amazon OpenSearch Service). Each contact is a scripted upsert with a
 * deterministic index and `_id`, so applying a batch is idempotent; the applied-batches index keeps
 * one document per batch key, written only after every contact of the batch merged. A crash in
 * between leaves the batch unrecorded, and its redelivery merges the same contacts again: a no-op.
 */
export class OpenSearchContactStore implements ContactStore {
  constructor(
    private readonly client: Client,
    private readonly names: ContactIndexNames,
    private readonly options: OpenSearchContactStoreOptions = { refresh: 'wait_for' },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async applyBatch(batch: StoredBatch): Promise<ApplyResult> {
    const { body: applied } = await this.client.exists({ index: this.names.appliedBatches, id: batch.batchKey });
    if (applied) return { alreadyApplied: true };
    if (batch.contacts.length > 0) await this.mergeContacts(batch.contacts);
    const { statusCode } = await this.client.index(
      {
        index: this.names.appliedBatches,
        id: batch.batchKey,
        op_type: 'create',
        // no refresh: the check above is a real-time GET; stats() refreshes this small index itself
        body: { observationCount: batch.observationCount, appliedAt: this.now().getTime() },
      },
      { ignore: [409] },
    );
    // 409: another consumer recorded the same batch meanwhile; its contacts merged twice, harmlessly.
    return { alreadyApplied: statusCode === 409 };
  }

  async contactsOf(devices: readonly DeviceNumber[], since: Date): Promise<Contact[]> {
    if (devices.length === 0) return [];
    const unique = [...new Set(devices)];
    return this.searchAll({
      bool: {
        filter: [{ range: { lastSeen: { gt: since.getTime() } } }],
        should: [{ terms: { deviceLow: unique } }, { terms: { deviceHigh: unique } }],
        minimum_should_match: 1,
      },
    });
  }

  async contactsBetween(a: DeviceNumber, b: DeviceNumber): Promise<Contact[]> {
    const [low, high] = a < b ? [a, b] : [b, a];
    return this.searchAll({ bool: { filter: [{ term: { deviceLow: low } }, { term: { deviceHigh: high } }] } });
  }

  deleteFor(device: DeviceNumber): Promise<number> {
    return this.deleteByQuery(this.names.contactsPattern, {
      bool: { should: [{ term: { deviceLow: device } }, { term: { deviceHigh: device } }], minimum_should_match: 1 },
    });
  }

  async purgeOlderThan(before: Date): Promise<number> {
    await this.deleteByQuery(this.names.appliedBatches, { range: { appliedAt: { lt: before.getTime() } } });
    // Whole daily indices older than the retention could be dropped instead; delete_by_query is exact.
    return this.deleteByQuery(this.names.contactsPattern, { range: { lastSeen: { lt: before.getTime() } } });
  }

  async stats(): Promise<ContactStoreStats> {
    await this.client.indices.refresh({ index: this.names.appliedBatches });
    const [contacts, batches] = await Promise.all([
      this.client.count({ index: this.names.contactsPattern, allow_no_indices: true }),
      this.client.search({
        index: this.names.appliedBatches,
        body: { size: 0, track_total_hits: true, aggs: { observations: { sum: { field: 'observationCount' } } } },
      }),
    ]);
    const total = batches.body.hits.total;
    const observations = batches.body.aggregations?.observations as { value?: number } | undefined;
    return {
      contacts: contacts.body.count,
      batchesApplied: typeof total === 'number' ? total : (total?.value ?? 0),
      observationsApplied: observations?.value ?? 0,
    };
  }

  private async mergeContacts(contacts: readonly Contact[]): Promise<void> {
    const body = contacts.flatMap((contact) => [
      { update: { _index: contactIndexFor(this.names, contact.windowStartMinute), _id: contact.id, retry_on_conflict: RETRY_ON_CONFLICT } },
      { script: { source: MERGE_CONTACT_SCRIPT, lang: 'painless', params: { contact: toSource(contact) } }, scripted_upsert: true, upsert: {} },
    ]);
    const { body: result } = await this.client.bulk({ body, refresh: this.options.refresh });
    if (result.errors) {
      const failures = result.items.flatMap((item) => Object.values(item)).filter((action) => action?.error);
      const first = failures[0]?.error;
      throw new Error(`${failures.length} of ${contacts.length} contacts did not merge (first: ${first?.type}: ${first?.reason}); the batch is retried`);
    }
  }

  private async searchAll(query: Record<string, unknown>): Promise<Contact[]> {
    const contacts: Contact[] = [];
    let searchAfter: (string | number | boolean | undefined)[] | undefined;
    for (;;) {
      const { body } = await this.client.search({
        index: this.names.contactsPattern,
        allow_no_indices: true,
        body: { query, size: PAGE_SIZE, sort: [{ id: 'asc' }], ...(searchAfter ? { search_after: searchAfter } : {}) },
      });
      const hits = body.hits.hits;
      contacts.push(...hits.map((hit) => fromSource(hit._source as ContactSource)));
      if (hits.length < PAGE_SIZE) return contacts;
      searchAfter = hits[hits.length - 1]!.sort;
    }
  }

  private async deleteByQuery(index: string, query: Record<string, unknown>): Promise<number> {
    const { body } = await this.client.deleteByQuery({ index, allow_no_indices: true, refresh: true, conflicts: 'proceed', body: { query } });
    return 'deleted' in body ? (body.deleted ?? 0) : 0;
  }
}

function toSource(contact: Contact): ContactSource {
  return {
    id: contact.id,
    deviceLow: contact.deviceLow,
    deviceHigh: contact.deviceHigh,
    windowStartMinute: contact.windowStartMinute,
    firstSeen: contact.firstSeen.getTime(),
    lastSeen: contact.lastSeen.getTime(),
    reportedByLow: contact.reportedByLow,
    reportedByHigh: contact.reportedByHigh,
    ...(contact.maxRssi === undefined ? {} : { maxRssi: contact.maxRssi }),
    ...(contact.location === undefined ? {} : { location: { lat: contact.location.lat, lon: contact.location.lon } }),
  };
}

function fromSource(source: ContactSource): Contact {
  return {
    id: source.id,
    deviceLow: source.deviceLow,
    deviceHigh: source.deviceHigh,
    windowStartMinute: source.windowStartMinute,
    firstSeen: new Date(source.firstSeen),
    lastSeen: new Date(source.lastSeen),
    reportedByLow: source.reportedByLow,
    reportedByHigh: source.reportedByHigh,
    maxRssi: source.maxRssi,
    location: source.location,
  };
}
