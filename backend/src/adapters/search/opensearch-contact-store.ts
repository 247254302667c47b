import type { Client } from '@opensearch-project/opensearch';
import type { ContactIndexNames } from './contact-indices.js';
import { OpenSearchEngine } from './opensearch-engine.js';
import { SearchContactStore, type SearchContactStoreOptions } from './search-contact-store.js';

/** Contacts in OpenSearch (what infra deploys: Amazon OpenSearch Service, SigV4-signed). */
export class OpenSearchContactStore extends SearchContactStore {
  constructor(client: Client, names: ContactIndexNames, options?: SearchContactStoreOptions, now?: () => Date) {
    super(new OpenSearchEngine(client), names, options, now);
  }
}
