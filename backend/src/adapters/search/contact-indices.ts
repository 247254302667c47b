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
  return {
    prefix,
    contactsPattern: `${prefix}contacts-*`,
    appliedBatches: `${prefix}applied-batches`,
    template: `${prefix}contacts`,
  };
}

/** The daily index of a contact whose window starts at `windowStartMinute` (minutes since the epoch, UTC). */
export function contactIndexFor(names: ContactIndexNames, windowStartMinute: number): string {
  const day = new Date(windowStartMinute * 60_000).toISOString().slice(0, 10).replaceAll('-', '.');
  return `${names.prefix}contacts-${day}`;
}
