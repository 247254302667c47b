import type { ContactSource } from './contact-search-requests.js';
import type { VersionedContact } from './search-engine.js';

/** One entry of a multi-get response, as both engines return it. */
export interface MgetDoc {
  found?: boolean;
  _source?: unknown;
  _seq_no?: number;
  _primary_term?: number;
}

export function versioned(doc: MgetDoc): VersionedContact | undefined {
  if (doc.found !== true || doc._seq_no === undefined || doc._primary_term === undefined) return undefined;
  return { source: doc._source as ContactSource, seqNo: doc._seq_no, primaryTerm: doc._primary_term };
}
