import { Client } from '@opensearch-project/opensearch';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactIndexFor, contactIndexNames, LOCAL_INDEX_SETTINGS, type ContactIndexNames } from '../../backend/src/adapters/search/contact-indices.js';
import { deleteContactIndices, ensureContactIndices } from '../../backend/src/adapters/search/opensearch-indices.js';
import { OpenSearchContactStore } from '../../backend/src/adapters/search/opensearch-contact-store.js';
import type { AdapterHarness } from '../backend/contracts/adapter-harness.js';
import { describeContactStoreContract } from '../backend/contracts/contact-store.contract.js';
import { aContact, NOW } from '../support/builders.js';
import { localServices, uniquePrefix } from './support/aws-clients.js';

const { opensearch } = localServices();
if (!opensearch) throw new Error('the global setup did not start opensearch');
const client = new Client({ node: opensearch.node });
afterAll(() => client.close());

/** The store on its own indices and template in the real OpenSearch node. */
async function onFreshIndices(): Promise<AdapterHarness<OpenSearchContactStore>> {
  const names = contactIndexNames(uniquePrefix());
  await ensureContactIndices(client, names, LOCAL_INDEX_SETTINGS);
  return {
    adapter: new OpenSearchContactStore(client, names, () => NOW),
    close: () => deleteContactIndices(client, names),
  };
}

describeContactStoreContract('opensearch', onFreshIndices);

describe('OpenSearchContactStore: failures', () => {
  let names: ContactIndexNames;
  let store: OpenSearchContactStore;
  beforeEach(async () => {
    names = contactIndexNames(uniquePrefix());
    await ensureContactIndices(client, names, LOCAL_INDEX_SETTINGS);
    store = new OpenSearchContactStore(client, names, () => NOW);
  });
  afterEach(() => deleteContactIndices(client, names));

  it('applies concurrent batches with one merge bulk and one record bulk, each succeeding or failing on its own', async () => {
    const blocked = { ...aContact(5, 6, 30, 10), windowStartMinute: 0, id: 'blocked' }; // its daily index: 1970.01.01
    await client.indices.create({ index: contactIndexFor(names, 0), body: { settings: { 'index.blocks.write': true } } });
    const bulks: string[] = [];
    const onRequest = (_error: unknown, event: { meta: { request: { params: { path: string } } } }) => bulks.push(event.meta.request.params.path);
    client.on('request', onRequest);
    const results = await Promise.allSettled([
      store.applyBatch({ batchKey: 'ok-1', reporter: 1, contacts: [aContact(1, 2, 30, 10)], observationCount: 1 }),
      store.applyBatch({ batchKey: 'fails', reporter: 1, contacts: [blocked], observationCount: 1 }),
      store.applyBatch({ batchKey: 'ok-2', reporter: 1, contacts: [aContact(3, 4, 30, 10)], observationCount: 1 }),
    ]);
    client.off('request', onRequest);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(bulks.filter((path) => path === '/_bulk')).toHaveLength(2);
    expect(await store.stats()).toMatchObject({ contacts: 2, batchesApplied: 2 });
  });

  it('does not record a batch whose contacts failed to merge, so its redelivery applies it', async () => {
    const contact = aContact(1, 2, 30, 10);
    const index = contactIndexFor(names, contact.windowStartMinute);
    await client.indices.create({ index, body: { settings: { 'index.blocks.write': true } } });
    const batch = { batchKey: 'r1:b1', reporter: 1, contacts: [contact], observationCount: 1 };
    await expect(store.applyBatch(batch)).rejects.toThrow(/did not merge/);
    await client.indices.putSettings({ index, body: { 'index.blocks.write': false } });
    expect(await store.applyBatch(batch)).toEqual({ alreadyApplied: false });
    expect(await store.contactsBetween(1, 2)).toEqual([contact]);
  });
});
