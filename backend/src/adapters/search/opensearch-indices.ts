import type { Client } from '@opensearch-project/opensearch';
import type { AnalyticsRetention } from '../../ports/analytics-store.js';
import type { ContactIndexNames, ContactIndexSettings } from './contact-indices.js';
import { OpenSearchEngine } from './opensearch-engine.js';
import { setupSearch } from './search-setup.js';

/**
 * The deploy-time search setup on a local node (tests, benchmarks, `npm run stack`): script,
 * template, applied-batches index, and the analytics templates for `analyticsRetention`.
 */
export async function ensureContactIndices(client: Client, names: ContactIndexNames, settings: ContactIndexSettings, analyticsRetention?: AnalyticsRetention): Promise<void> {
  await setupSearch(new OpenSearchEngine(client), names, settings, { retentionDays: 21, ...(analyticsRetention ? { analyticsRetention } : {}) });
}

/** Removes the indices and the template (tests). */
export async function deleteContactIndices(client: Client, names: ContactIndexNames): Promise<void> {
  await client.indices.delete({ index: `${names.contactsPattern},${names.appliedBatches}`, expand_wildcards: 'all' }, { ignore: [404] });
  await client.indices.deleteIndexTemplate({ name: names.template }, { ignore: [404] });
}
