import type { Client } from '@opensearch-project/opensearch';
import { BULK_RESPONSE_FILTER, type ContactSource, type Query, type SortValues } from './contact-search-requests.js';
import type { BulkItems, SearchEngine } from './search-engine.js';

/** The SearchEngine on the OpenSearch client (OpenSearch, Amazon OpenSearch Service with SigV4). */
export class OpenSearchEngine implements SearchEngine {
  constructor(private readonly client: Client) {}

  async putStoredScript(id: string, body: object): Promise<void> {
    await this.client.putScript({ id, body: body as never });
  }

  async putIndexTemplate(name: string, body: object): Promise<void> {
    await this.client.indices.putIndexTemplate({ name, body: body as never });
  }

  async createIndexIfMissing(index: string, body: object): Promise<void> {
    const { body: exists } = await this.client.indices.exists({ index });
    // 400: created meanwhile by another instance (resource_already_exists_exception)
    if (!exists) await this.client.indices.create({ index, body: body as never }, { ignore: [400] });
  }

  async documentsExist(index: string, ids: readonly string[]): Promise<boolean[]> {
    const { body } = await this.client.mget({ index, _source: false, body: { ids: [...ids] } });
    return body.docs.map((doc) => 'found' in doc && doc.found === true);
  }

  async bulk(operations: object[]) {
    const { body } = await this.client.bulk({ body: operations as never, filter_path: BULK_RESPONSE_FILTER });
    return { errors: body.errors, items: body.items as unknown as BulkItems };
  }

  async search(index: string, body: object) {
    const { body: result } = await this.client.search({ index, allow_no_indices: true, body: body as never });
    const total = result.hits.total;
    return {
      hits: result.hits.hits.map((hit) => ({ source: hit._source as unknown as ContactSource, sort: hit.sort as SortValues | undefined })),
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      aggregations: result.aggregations as Record<string, unknown> | undefined,
    };
  }

  async count(index: string): Promise<number> {
    return (await this.client.count({ index, allow_no_indices: true })).body.count;
  }

  async deleteByQuery(index: string, query: Query): Promise<number> {
    const { body } = await this.client.deleteByQuery({ index, allow_no_indices: true, refresh: true, conflicts: 'proceed', body: { query } });
    return 'deleted' in body ? (body.deleted ?? 0) : 0;
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
    const response = await this.client.transport.request({ method, path, ...(body ? { body: body as never } : {}) }, { ignore: [400, 401, 403, 404, 405, 409] });
    return { statusCode: response.statusCode ?? 0, body: response.body as unknown };
  }
}
