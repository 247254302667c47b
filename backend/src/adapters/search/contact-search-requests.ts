import { contactSpan, reportedBy, strongestRssi, type Contact } from '../../domain/contacts/contact.js';
import type { DeviceNumber } from '../../domain/device.js';
import { contactIndexFor, type ContactIndexNames, type ContactIndexSettings } from './contact-indices.js';
import { decodeIntervals, encodeIntervals, type EncodedInterval } from '../interval-codec.js';

/**
 * Every template, mapping, bulk body and query the contact store sends, built once for both search
 * clients: the OpenSearch client (OpenSearch, Amazon OpenSearch Service) and the Elasticsearch
 * client (Elasticsearch 8+). The adapters differ only in how they hand these to their client.
 */

/**
 * A contact document: its intervals (stored, not indexed) and, indexed for queries and
 * dashboards, what follows from them: the span, which sides reported, the strongest RSSI.
 */
export interface ContactSource {
  id: string;
  deviceLow: number;
  deviceHigh: number;
  windowStartMinute: number;
  intervals: EncodedInterval[];
  firstSeen: number;
  lastSeen: number;
  reportedByLow: boolean;
  reportedByHigh: boolean;
  maxRssi?: number;
  location?: { lat: number; lon: number };
}

export type Query = Record<string, unknown>;
/** The `sort` values of a hit, handed back as `search_after`. */
export type SortValues = (string | number | boolean)[];

export const SEARCH_PAGE_SIZE = 1000;

const CONTACT_MAPPING = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    deviceLow: { type: 'long' },
    deviceHigh: { type: 'long' },
    windowStartMinute: { type: 'long' },
    intervals: { type: 'object', enabled: false },
    firstSeen: { type: 'date', format: 'epoch_millis' },
    lastSeen: { type: 'date', format: 'epoch_millis' },
    reportedByLow: { type: 'boolean' },
    reportedByHigh: { type: 'boolean' },
    maxRssi: { type: 'integer' },
    location: { type: 'geo_point' },
  },
} as const;

const APPLIED_BATCH_MAPPING = {
  dynamic: 'strict',
  properties: {
    reporter: { type: 'long' },
    observationCount: { type: 'integer' },
    appliedAt: { type: 'date', format: 'epoch_millis' },
  },
} as const;

function indexSettings(settings: ContactIndexSettings) {
  return { number_of_shards: settings.shards, number_of_replicas: settings.replicas, refresh_interval: settings.refreshInterval };
}

/** The body of the index template that types every daily contacts index. */
export function contactTemplateBody(names: ContactIndexNames, settings: ContactIndexSettings) {
  return { index_patterns: [names.contactsPattern], template: { settings: indexSettings(settings), mappings: CONTACT_MAPPING } };
}

/** The body that creates the applied-batches index. */
export function appliedBatchesIndexBody(settings: ContactIndexSettings) {
  return { settings: indexSettings(settings), mappings: APPLIED_BATCH_MAPPING };
}

/** Where a contact is stored: its daily index and deterministic `_id`. */
export function contactLocation(names: ContactIndexNames, contact: Contact): { index: string; id: string } {
  return { index: contactIndexFor(names, contact.windowStartMinute), id: contact.id };
}

/** A bulk `create` of a contact not stored yet: a plain insert, failing with 409 if it is stored. */
export function createContactOperation(names: ContactIndexNames, contact: Contact): object[] {
  const { index, id } = contactLocation(names, contact);
  return [{ create: { _index: index, _id: id } }, toSource(contact)];
}

/** A bulk `index` replacing a stored contact with its merge, only if it is still the version read (409 otherwise). */
export function replaceContactOperation(names: ContactIndexNames, contact: Contact, read: { seqNo: number; primaryTerm: number }): object[] {
  const { index, id } = contactLocation(names, contact);
  return [{ index: { _index: index, _id: id, if_seq_no: read.seqNo, if_primary_term: read.primaryTerm } }, toSource(contact)];
}

/** Bulk operations recording applied batches; `create` fails with 409 for a key recorded before. */
export function appliedBatchOperations(names: ContactIndexNames, batches: readonly { batchKey: string; reporter: number; observationCount: number }[], appliedAt: Date): object[] {
  return batches.flatMap((batch) => [
    { create: { _index: names.appliedBatches, _id: batch.batchKey } },
    { reporter: batch.reporter, observationCount: batch.observationCount, appliedAt: appliedAt.getTime() },
  ]);
}

export function batchesOfReporterQuery(reporter: DeviceNumber): Query {
  return { term: { reporter } };
}

export function contactsOfQuery(devices: readonly DeviceNumber[], since: Date): Query {
  const unique = [...new Set(devices)];
  return {
    bool: {
      filter: [{ range: { lastSeen: { gt: since.getTime() } } }],
      should: [{ terms: { deviceLow: unique } }, { terms: { deviceHigh: unique } }],
      minimum_should_match: 1,
    },
  };
}

export function contactsBetweenQuery(a: DeviceNumber, b: DeviceNumber): Query {
  const [low, high] = a < b ? [a, b] : [b, a];
  return { bool: { filter: [{ term: { deviceLow: low } }, { term: { deviceHigh: high } }] } };
}

export function contactsOfDeviceQuery(device: DeviceNumber): Query {
  return { bool: { should: [{ term: { deviceLow: device } }, { term: { deviceHigh: device } }], minimum_should_match: 1 } };
}

/** Contacts still going on at `from` or later and begun before `until`. */
export function contactsDuringQuery(from: Date, until: Date): Query {
  return { bool: { filter: [{ range: { lastSeen: { gte: from.getTime() } } }, { range: { firstSeen: { lt: until.getTime() } } }] } };
}

/** One page of per-reporter upload totals in [from, until): a composite aggregation, resumed after `after`. */
export function uploadsDuringBody(from: Date, until: Date, after?: Record<string, unknown>) {
  return {
    size: 0,
    query: { range: { appliedAt: { gte: from.getTime(), lt: until.getTime() } } },
    aggs: {
      reporters: {
        composite: { size: SEARCH_PAGE_SIZE, sources: [{ reporter: { terms: { field: 'reporter' } } }], ...(after ? { after } : {}) },
        aggs: { observations: { sum: { field: 'observationCount' } }, last: { max: { field: 'appliedAt' } } },
      },
    },
  };
}

export interface UploadsPage {
  rows: { reporter: number; uploads: number; observations: number; last: number }[];
  after?: Record<string, unknown> | undefined;
}

export function uploadsPageFrom(aggregations: Record<string, unknown> | undefined): UploadsPage {
  const agg = aggregations?.reporters as
    | { after_key?: Record<string, unknown>; buckets: { key: { reporter: number }; doc_count: number; observations: { value: number }; last: { value: number } }[] }
    | undefined;
  const buckets = agg?.buckets ?? [];
  return {
    rows: buckets.map((b) => ({ reporter: b.key.reporter, uploads: b.doc_count, observations: b.observations.value, last: b.last.value })),
    after: buckets.length === SEARCH_PAGE_SIZE ? agg?.after_key : undefined,
  };
}

export function olderThanQuery(field: 'lastSeen' | 'appliedAt', before: Date): Query {
  return { range: { [field]: { lt: before.getTime() } } };
}

/** One page of a query, sorted by id so `search_after` can walk all of it. */
export function searchPageBody(query: Query, searchAfter: SortValues | undefined) {
  return { query, size: SEARCH_PAGE_SIZE, sort: [{ id: 'asc' as const }], ...(searchAfter ? { search_after: searchAfter } : {}) };
}

/** Per daily index: how many contacts it holds and the newest `lastSeen` among them. */
export const INDEX_AGES_BODY = {
  size: 0,
  aggs: { indices: { terms: { field: '_index', size: 10_000 }, aggs: { newest: { max: { field: 'lastSeen' } } } } },
};

export interface IndexAge {
  index: string;
  contacts: number;
  /** Epoch ms of the newest `lastSeen`. */
  newest: number;
}

export function indexAgesFrom(aggregations: Record<string, unknown> | undefined): IndexAge[] {
  const buckets = (aggregations?.indices as { buckets?: { key: string; doc_count: number; newest: { value: number | null } }[] } | undefined)?.buckets ?? [];
  return buckets.map((b) => ({ index: b.key, contacts: b.doc_count, newest: b.newest.value ?? 0 }));
}

export const APPLIED_BATCH_TOTALS_BODY = { size: 0, track_total_hits: true, aggs: { observations: { sum: { field: 'observationCount' } } } };

export function toSource(contact: Contact): ContactSource {
  const { firstSeen, lastSeen } = contactSpan(contact);
  const maxRssi = strongestRssi(contact);
  return {
    id: contact.id,
    deviceLow: contact.deviceLow,
    deviceHigh: contact.deviceHigh,
    windowStartMinute: contact.windowStartMinute,
    intervals: encodeIntervals(contact.intervals),
    firstSeen,
    lastSeen,
    reportedByLow: reportedBy(contact, 'low'),
    reportedByHigh: reportedBy(contact, 'high'),
    ...(maxRssi === undefined ? {} : { maxRssi }),
    ...(contact.location === undefined ? {} : { location: { lat: contact.location.lat, lon: contact.location.lon } }),
  };
}

export function fromSource(source: ContactSource): Contact {
  return {
    id: source.id,
    deviceLow: source.deviceLow,
    deviceHigh: source.deviceHigh,
    windowStartMinute: source.windowStartMinute,
    intervals: decodeIntervals(source.intervals),
    location: source.location,
  };
}

type BulkItem = Record<string, { status?: number; error?: { type?: string; reason?: string | null } } | undefined>;

/** What a bulk response carries back: per item only its status and error, in order (not ids, versions, shards). */
export const BULK_RESPONSE_FILTER = 'errors,items.*.status,items.*.error';

/** The error of a bulk item, if it failed (ignoring `allowedStatus`, e.g. 409 on a create). */
export function bulkItemError(item: BulkItem | undefined, allowedStatus?: number): { type?: string; reason?: string | null } | undefined {
  const action = item ? Object.values(item)[0] : undefined;
  if (!action?.error || action.status === allowedStatus) return undefined;
  return action.error;
}

/** A batch's failed contact merges as one error, so that batch is retried. */
export function mergeFailure(errors: readonly { type?: string; reason?: string | null }[], total: number): Error {
  const first = errors[0];
  return new Error(`${errors.length} of ${total} contacts did not merge (first: ${first?.type}: ${first?.reason}); the batch is retried`);
}
