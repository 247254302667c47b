import type { Client } from '@opensearch-project/opensearch';

/**
 * Contacts live in daily indices chosen by the contact's window start (`<prefix>contacts-2026.11.23`),
 * so a contact's index and `_id` follow from the contact alone and a retried bulk request lands on
 * the same document. Applied batch keys live in one small index. One index template types them all.
 */
export interface ContactIndexNames {
  prefix: string;
  /** Pattern matching every daily contacts index. */
  contactsPattern: string;
  appliedBatches: string;
  template: string;
}

export interface ContactIndexSettings {
  shards: number;
  replicas: number;
  /** e.g. "1s"; 30–60 s during heavy ingest if analytics may lag (reads then wait for refreshes). */
  refreshInterval: string;
}

export const LOCAL_INDEX_SETTINGS: ContactIndexSettings = { shards: 1, replicas: 0, refreshInterval: '1s' };

export function contactIndexNames(prefix: string): ContactIndexNames {
  return { prefix, contactsPattern: `${prefix}contacts-*`, appliedBatches: `${prefix}applied-batches`, template: `${prefix}contacts` };
}

/** The daily index of a contact whose window starts at `windowStartMinute` (minutes since the epoch, UTC). */
export function contactIndexFor(names: ContactIndexNames, windowStartMinute: number): string {
  const day = new Date(windowStartMinute * 60_000).toISOString().slice(0, 10).replaceAll('-', '.');
  return `${names.prefix}contacts-${day}`;
}

const CONTACT_MAPPING = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    deviceLow: { type: 'long' },
    deviceHigh: { type: 'long' },
    windowStartMinute: { type: 'long' },
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
    observationCount: { type: 'integer' },
    appliedAt: { type: 'date', format: 'epoch_millis' },
  },
} as const;

/** Puts the index template for the daily contact indices and creates the applied-batches index. */
export async function ensureContactIndices(client: Client, names: ContactIndexNames, settings: ContactIndexSettings): Promise<void> {
  const indexSettings = { number_of_shards: settings.shards, number_of_replicas: settings.replicas, refresh_interval: settings.refreshInterval };
  await client.indices.putIndexTemplate({
    name: names.template,
    body: { index_patterns: [names.contactsPattern], template: { settings: indexSettings, mappings: CONTACT_MAPPING } },
  });
  const { body: exists } = await client.indices.exists({ index: names.appliedBatches });
  if (!exists) {
    await client.indices.create(
      { index: names.appliedBatches, body: { settings: indexSettings, mappings: APPLIED_BATCH_MAPPING } },
      { ignore: [400] }, // created meanwhile by another instance (resource_already_exists_exception)
    );
  }
}

/** Removes the indices and the template (tests). */
export async function deleteContactIndices(client: Client, names: ContactIndexNames): Promise<void> {
  await client.indices.delete({ index: `${names.contactsPattern},${names.appliedBatches}`, expand_wildcards: 'all' }, { ignore: [404] });
  await client.indices.deleteIndexTemplate({ name: names.template }, { ignore: [404] });
}
