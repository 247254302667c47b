import { Client } from '@opensearch-project/opensearch';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../src/adapters/search/contact-indices.js';
import { OpenSearchContactStore } from '../src/adapters/search/opensearch-contact-store.js';
import { deleteContactIndices } from '../src/adapters/search/opensearch-indices.js';
import { installContactIndices } from '../src/adapters/search/search-setup.js';
import { OpenSearchEngine } from '../src/adapters/search/opensearch-engine.js';
import { contactId, type Contact } from '../src/domain/contacts/contact.js';

/**
 * A freshly started OpenSearch JVM spends its first minutes compiling: the same bulk costs it
 * several times the CPU it costs later. Before anything is measured, this drives the contact
 * store's own requests (multi-get, merge bulk with inserts and merges, batch records) at a
 * scratch prefix for `durationMs`, then removes what it wrote.
 */
export async function warmUpSearchEngine(node: string, durationMs: number, onProgress?: (contacts: number) => void): Promise<void> {
  const client = new Client({ node });
  const names = contactIndexNames('warmup-');
  try {
    await installContactIndices(new OpenSearchEngine(client), names, LOCAL_INDEX_SETTINGS);
    const store = new OpenSearchContactStore(client, names);
    const deadline = performance.now() + durationMs;
    let batch = 0;
    let contacts = 0;
    const worker = async () => {
      while (performance.now() < deadline) {
        // 40 batches at once share one bulk, as a consumer invocation's do; every other contact repeats one of the previous group.
        await Promise.all(
          Array.from({ length: 40 }, () => {
            const key = batch++;
            return store.applyBatch({ batchKey: `warmup:${key}`, reporter: key + 1, contacts: syntheticContacts(key), observationCount: 50 });
          }),
        );
        contacts += 40 * 50;
        onProgress?.(contacts);
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    await deleteContactIndices(client, names);
    await client.close();
  }
}

function syntheticContacts(batch: number): Contact[] {
  return Array.from({ length: 50 }, (_, i) => {
    const low = (i % 2 === 0 ? batch : Math.max(0, batch - 40)) * 100 + i + 1;
    const window = 29_400_000 + (batch % 8) * 180;
    return {
      id: contactId(low, low + 50_000_000, window),
      deviceLow: low,
      deviceHigh: low + 50_000_000,
      windowStartMinute: window,
      intervals: [{ heardBy: 'low', start: window * 60_000, end: window * 60_000 + 600_000 + batch, sightings: 20, rssi: -60, rssiMax: -55 }],
    };
  });
}
