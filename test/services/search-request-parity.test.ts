import { createRequire } from 'node:module';
import { Client as ElasticClient } from '@elastic/elasticsearch';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { afterAll, describe, expect, it } from 'vitest';
import { contactIndexNames, LOCAL_INDEX_SETTINGS, type ContactIndexNames } from '../../backend/src/adapters/search/contact-indices.js';
import { ElasticsearchEngine } from '../../backend/src/adapters/search/elasticsearch-engine.js';
import { OpenSearchEngine } from '../../backend/src/adapters/search/opensearch-engine.js';
import { deleteContactIndices } from '../../backend/src/adapters/search/opensearch-indices.js';
import { SearchContactStore } from '../../backend/src/adapters/search/search-contact-store.js';
import { installContactIndices } from '../../backend/src/adapters/search/search-setup.js';
import type { SearchEngine } from '../../backend/src/adapters/search/search-engine.js';
import { aContact, minutesBefore, NOW } from '../support/builders.js';
import { localServices, uniquePrefix } from './support/aws-clients.js';

/**
 * No Elasticsearch 8+ can run here, so the Elasticsearch path is checked against the OpenSearch
 * path: the same store operations run once through the OpenSearch client against the real node
 * and once through the Elastic client against @elastic/elasticsearch-mock, and the two must send
 * the same requests — method, path, query string and body — in the same order.
 */
// The mock is CommonJS (its typings claim a default export it lacks), and it recognises errors by
// instanceof against the CommonJS build of the client it requires itself: load both that way.
const require = createRequire(import.meta.url);
const Mock = require('@elastic/elasticsearch-mock') as typeof import('@elastic/elasticsearch-mock').default;
const { errors } = require('@elastic/elasticsearch') as typeof import('@elastic/elasticsearch');

interface SentRequest {
  method: string;
  path: string;
  querystring: Record<string, string>;
  body: unknown;
}

/** Store operations covering every request the store makes. */
async function exercise(engine: SearchEngine, names: ContactIndexNames): Promise<void> {
  await installContactIndices(engine, names, LOCAL_INDEX_SETTINGS);
  const store = new SearchContactStore(engine, names, () => NOW);
  await Promise.all([
    store.applyBatch({ batchKey: 'r1:b1', reporter: 1, contacts: [aContact(1, 2, 30, 10, { rssiMax: -55 }), aContact(3, 1, 20, 5)], observationCount: 3 }),
    store.applyBatch({ batchKey: 'r2:b1', reporter: 1, contacts: [aContact(4, 1, 30, 10)], observationCount: 1 }),
    // Three days old: its daily index is dropped whole by the purge.
    store.applyBatch({ batchKey: 'r3:b1', reporter: 1, contacts: [aContact(5, 6, 3 * 24 * 60, 3 * 24 * 60 - 20)], observationCount: 1 }),
  ]);
  await store.contactsOf([1, 3], minutesBefore(60));
  await store.contactsBetween(2, 1);
  await store.stats();
  await store.deleteFor(3);
  await store.purgeOlderThan(minutesBefore(24 * 60));
}

/**
 * PUT and POST are the same request on the template, create and stored-script endpoints (both engines document
 * both), and the mock sees paths decoded: compare on that footing.
 */
function normalized(request: SentRequest): SentRequest {
  const path = decodeURIComponent(request.path);
  const interchangeable = /\/_index_template\/|\/_create\/|^\/_scripts\//.test(path) && (request.method === 'PUT' || request.method === 'POST');
  return { ...request, path, method: interchangeable ? 'PUT|POST' : request.method };
}

function parseBody(body: unknown): unknown {
  if (body === undefined || body === null || body === '') return null;
  if (typeof body !== 'string') return body;
  const lines = body.split('\n').filter(Boolean);
  return lines.length > 1 || body.endsWith('\n') ? lines.map((line) => JSON.parse(line)) : JSON.parse(body);
}

function stringValues(query: unknown): Record<string, string> {
  const entries = typeof query === 'string' ? [...new URLSearchParams(query)] : Object.entries((query ?? {}) as Record<string, unknown>);
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
}

describe('the Elasticsearch client path sends what the OpenSearch path sends', () => {
  const opensearch = new OpenSearchClient({ node: localServices().opensearch!.node });
  const names = contactIndexNames(uniquePrefix());
  afterAll(async () => {
    await deleteContactIndices(opensearch, names);
    await opensearch.close();
  });

  it('for templates, bulk bodies and queries', async () => {
    const toOpenSearch: SentRequest[] = [];
    const requestIds: unknown[] = [];
    // Requests sent together can be answered in any order: each answer is kept by its request's id.
    const answers = new Map<unknown, { statusCode: number; body: unknown }>();
    opensearch.on('request', (_error, event) => {
      const params = event.meta.request.params;
      requestIds.push(event.meta.request.id);
      toOpenSearch.push({ method: params.method, path: params.path, querystring: stringValues(params.querystring), body: parseBody(params.body) });
    });
    opensearch.on('response', (error, event) => {
      const meta = (event ?? (error as { meta?: typeof event } | null)?.meta) as { statusCode?: number; body?: unknown; meta?: { request?: { id?: unknown } } } | undefined;
      answers.set(meta?.meta?.request?.id, { statusCode: meta?.statusCode ?? 500, body: meta?.body });
    });
    await exercise(new OpenSearchEngine(opensearch), names);
    const fromOpenSearch = requestIds.map((id) => answers.get(id));

    const toElasticsearch: SentRequest[] = [];
    const mock = new Mock();
    mock.add({ method: ['GET', 'POST', 'PUT', 'HEAD', 'DELETE'], path: '*' }, (pattern) => {
      // The mock hands over the request it received: one method and one path. It answers what the
      // real node answered to the same request, so both paths take the same turns.
      const params = pattern as { method: string; path: string; querystring?: unknown; body?: unknown };
      toElasticsearch.push({ method: params.method, path: params.path, querystring: stringValues(params.querystring), body: parseBody(params.body) });
      const reply = fromOpenSearch[toElasticsearch.length - 1];
      if (!reply) return new errors.ResponseError({ body: { error: 'more requests than the OpenSearch path sent' }, statusCode: 500, headers: {}, warnings: [], meta: {} as never });
      if (reply.statusCode >= 400) return new errors.ResponseError({ body: reply.body ?? {}, statusCode: reply.statusCode, headers: {}, warnings: [], meta: {} as never });
      return typeof reply.body === 'object' && reply.body !== null ? reply.body : {};
    });
    // Typed against the client's CommonJS build; the ESM client takes it all the same.
    const elastic = new ElasticClient({ node: 'http://localhost:9200', Connection: mock.getConnection() as never });
    await exercise(new ElasticsearchEngine(elastic), names);

    expect(toOpenSearch.length).toBeGreaterThanOrEqual(10);
    expect(toElasticsearch.map(normalized)).toEqual(toOpenSearch.map(normalized));
    // The comparison covers the bodies: the template, the bulk merge operations and the queries.
    expect(toOpenSearch.filter((r) => r.path === '/_bulk').map((r) => (r.body as unknown[]).length)).toEqual([8, 6]);
    // The purge dropped the old contact's daily index whole.
    expect(toOpenSearch.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/${names.prefix}contacts-2026.11.20`]);
  });
});
