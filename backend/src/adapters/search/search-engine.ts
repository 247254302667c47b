import type { ContactSource, Query, SortValues } from './contact-search-requests.js';

export interface SearchHit {
  source: ContactSource;
  sort?: SortValues | undefined;
}

/** A stored contact document and the version it was read at (for a conditional write). */
export interface VersionedContact {
  source: ContactSource;
  seqNo: number;
  primaryTerm: number;
}

export type BulkItem = Record<string, { status?: number; error?: { type?: string; reason?: string | null } } | undefined>;
export type BulkItems = readonly BulkItem[];

/**
 * The few search-engine calls the contact store makes, each taking a body built by
 * contact-search-requests.ts. One implementation per client library (OpenSearch, Elasticsearch):
 * they only translate to their client's call shapes, so both engines receive the same requests.
 */
export interface SearchEngine {
  /** Which engine: they differ only in how indices are expired (ISM on OpenSearch, ILM on Elasticsearch). */
  readonly flavour: 'opensearch' | 'elasticsearch';
  /**
   * Installs (or updates) a retention policy: the ISM body on OpenSearch, the ILM body on
   * Elasticsearch. 'unavailable' when the node has no such plugin (a bare local node).
   */
  putLifecyclePolicy(id: string, bodies: { ism: object; ilm: object }): Promise<'installed' | 'unavailable'>;
  /** Index settings that attach the policy to the indices of a template (ILM; ISM attaches itself by its ism_template). */
  lifecycleSettings(policyId: string): Record<string, unknown>;
  putIndexTemplate(name: string, body: object): Promise<void>;
  /** Creates the index unless it exists (also when another instance creates it meanwhile). */
  createIndexIfMissing(index: string, body: object): Promise<void>;
  /** Whether each of the documents exists (one multi-get, real time). */
  documentsExist(index: string, ids: readonly string[]): Promise<boolean[]>;
  /** Each document's source and version, or undefined where there is none (one multi-get, real time). */
  getDocuments(documents: readonly { index: string; id: string }[]): Promise<(VersionedContact | undefined)[]>;
  /** One bulk request; `items` has one entry per action, in order. */
  bulk(operations: object[]): Promise<{ errors: boolean; items: BulkItems }>;
  search(index: string, body: object): Promise<{ hits: SearchHit[]; total: number; aggregations?: Record<string, unknown> | undefined }>;
  count(index: string): Promise<number>;
  deleteByQuery(index: string, query: Query): Promise<number>;
  refresh(index: string): Promise<void>;
  deleteIndices(indices: readonly string[]): Promise<void>;
  /** Resolves when the cluster answers (readiness). */
  ping(): Promise<void>;
  /** A plain request to a plugin API (deploy-time setup only); never throws on a status. */
  request(method: 'GET' | 'PUT' | 'PATCH', path: string, body?: object): Promise<{ statusCode: number; body: unknown }>;
}
