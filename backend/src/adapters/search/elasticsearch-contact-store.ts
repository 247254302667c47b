import type { Client } from '@elastic/elasticsearch';
import type { ContactIndexNames } from './contact-indices.js';
import { ElasticsearchEngine } from './elasticsearch-engine.js';
import { SearchContactStore, type SearchContactStoreOptions } from './search-contact-store.js';

/** Contacts in Elasticsearch 8+ (with Kibana), through the Elastic client. */
export class ElasticsearchContactStore extends SearchContactStore {
  constructor(client: Client, names: ContactIndexNames, options?: SearchContactStoreOptions, now?: () => Date) {
    super(new ElasticsearchEngine(client), names, options, now);
  }
}
