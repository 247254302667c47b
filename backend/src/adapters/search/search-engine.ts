import type { ContactSource, Query, SortValues } from './contact-search-requests.js';

export interface SearchHit {
  source: ContactSource;
  sort?: SortValues | undefined;
}

export type BulkItems = readonly Record<string, { error?: { type?: string; reason?: string | null } } | undefined>[];

/**
 * The few search-engine calls the contact store makes, each taking a body built by
 * contact-search-requests.ts. One implementation per client library (OpenSearch, Elasticsearch):
 * they only translate to their client's call shapes, so both engines receive the same requests.
 */
export interface SearchEngine {
  putIndexTemplate(name: string, body: object): Promise<void>;
  /** Creates the index unless it exists (also when another instance creates it meanwhile). */
  createIndexIfMissing(index: string, body: object): Promise<void>;
  documentExists(index: string, id: string): Promise<boolean>;
  /** Creates a document; false when one with that id exists already. */
  createDocument(index: string, id: string, document: object): Promise<boolean>;
  bulk(operations: object[], refresh: 'wait_for' | false): Promise<{ errors: boolean; items: BulkItems }>;
  search(index: string, body: object): Promise<{ hits: SearchHit[]; total: number; aggregations?: Record<string, unknown> | undefined }>;
  count(index: string): Promise<number>;
  deleteByQuery(index: string, query: Query): Promise<number>;
  refresh(index: string): Promise<void>;
}
