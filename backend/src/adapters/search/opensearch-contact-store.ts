import type { Client } from '@opensearch-project/opensearch';
import type { ContactIndexNames } from './contact-indices.js';
import { OpenSearchEngine } from './opensearch-engine.js';
import { SearchContactStore } from './search-contact-store.js';

/** Contacts in OpenSearch through an OpenSearch client (tests, benchmarks; the composition picks the engine by configuration). */
export class OpenSearchContactStore extends SearchContactStore {
  constructor(client: Client, names: ContactIndexNames, now?: () => Date) {
    super(new OpenSearchEngine(client), names, now);
  }
}
