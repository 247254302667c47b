import type { Client } from '@opensearch-project/opensearch';
import type { ContactIndexNames, ContactIndexSettings } from './contact-indices.js';
import { OpenSearchEngine } from './opensearch-engine.js';
import { installContactIndices } from './search-contact-store.js';

/** Puts the index template for the daily contact indices and creates the applied-batches index. */
export function ensureContactIndices(client: Client, names: ContactIndexNames, settings: ContactIndexSettings): Promise<void> {
  return installContactIndices(new OpenSearchEngine(client), names, settings);
}

/** Removes the indices and the template (tests). */
export async function deleteContactIndices(client: Client, names: ContactIndexNames): Promise<void> {
  await client.indices.delete({ index: `${names.contactsPattern},${names.appliedBatches}`, expand_wildcards: 'all' }, { ignore: [404] });
  await client.indices.deleteIndexTemplate({ name: names.template }, { ignore: [404] });
  await client.deleteScript({ id: names.mergeScript }, { ignore: [404] });
}
