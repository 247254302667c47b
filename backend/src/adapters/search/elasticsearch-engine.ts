import type { Client } from '@elastic/elasticsearch';
import { BULK_RESPONSE_FILTER, type ContactSource, type Query, type SortValues } from './contact-search-requests.js';
import { versioned, type MgetDoc } from './search-documents.js';
import type { BulkItems, SearchEngine } from './search-engine.js';

/**
 * The SearchEngine on the Elasticsearch client (Elasticsearch 8+: Elastic Cloud or self-managed,
 * API-key auth). Never point it at OpenSearch: the client checks the product header and refuses.
 * Bodies are spread into the request, which the client sends as the same JSON the OpenSearch
 * engine sends (a test compares the two).
 */
export class ElasticsearchEngine implements SearchEngine {
  readonly flavour = 'elasticsearch';

  constructor(private readonly client: Client) {}

  async putLifecyclePolicy(id: string, bodies: { ism: object; ilm: object }): Promise<'installed' | 'unavailable'> {
    // PUT _ilm/policy replaces the policy (a new version); the indices move to it at their next step.
    await this.client.ilm.putLifecycle({ name: id, ...(bodies.ilm as Omit<Parameters<Client['ilm']['putLifecycle']>[0], 'name'>) });
    return 'installed';
  }

  /** The policy by name, and the index's age counted from the date its name ends with (`…-2026.11.23`). */
  lifecycleSettings(policyId: string): Record<string, unknown> {
    return { 'index.lifecycle.name': policyId, 'index.lifecycle.parse_origination_date': true };
  }

  async putIndexTemplate(name: string, body: object): Promise<void> {
    await this.client.indices.putIndexTemplate({ name, ...(body as object) });
  }

  async createIndexIfMissing(index: string, body: object): Promise<void> {
    // 400: created meanwhile by another instance (resource_already_exists_exception)
    if (!(await this.client.indices.exists({ index }))) await this.client.indices.create({ index, ...body }, { ignore: [400] });
  }

  async documentsExist(index: string, ids: readonly string[]): Promise<boolean[]> {
    const { docs } = await this.client.mget({ index, _source: false, ids: [...ids] });
    return docs.map((doc) => 'found' in doc && doc.found === true);
  }

  async getDocuments(documents: readonly { index: string; id: string }[]) {
    const { docs } = await this.client.mget({ docs: documents.map((d) => ({ _index: d.index, _id: d.id })) });
    return docs.map((doc) => versioned(doc as MgetDoc));
  }

  async bulk(operations: object[]) {
    const result = await this.client.bulk({ operations, filter_path: BULK_RESPONSE_FILTER });
    return { errors: result.errors, items: result.items as unknown as BulkItems };
  }

  async search(index: string, body: object) {
    const result = await this.client.search({ index, allow_no_indices: true, ...(body as object) });
    const total = result.hits.total;
    return {
      hits: result.hits.hits.map((hit) => ({ source: hit._source as ContactSource, sort: hit.sort as SortValues | undefined })),
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      aggregations: result.aggregations as Record<string, unknown> | undefined,
    };
  }

  async count(index: string): Promise<number> {
    return (await this.client.count({ index, allow_no_indices: true })).count;
  }

  async deleteByQuery(index: string, query: Query): Promise<number> {
    return (await this.client.deleteByQuery({ index, allow_no_indices: true, refresh: true, conflicts: 'proceed', query })).deleted ?? 0;
  }

  async refresh(index: string): Promise<void> {
    await this.client.indices.refresh({ index });
  }

  async deleteIndices(indices: readonly string[]): Promise<void> {
    await this.client.indices.delete({ index: indices.join(',') }, { ignore: [404] });
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async request(method: 'GET' | 'PUT' | 'PATCH', path: string, body?: object) {
    const response = await this.client.transport.request(
      { method, path, ...(body ? { body } : {}) },
      { ignore: [400, 401, 403, 404, 405, 409], meta: true },
    );
    return { statusCode: response.statusCode ?? 0, body: response.body as unknown };
  }
}
