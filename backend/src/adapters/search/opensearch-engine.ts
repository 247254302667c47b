import type { Client } from '@opensearch-project/opensearch';
import { BULK_RESPONSE_FILTER, type ContactSource, type Query, type SortValues } from './contact-search-requests.js';
import { versioned, type MgetDoc } from './search-documents.js';
import type { BulkItems, SearchEngine } from './search-engine.js';

function isNoHandler(response: { statusCode?: number | null; body: unknown }): boolean {
  return response.statusCode === 400 && /no handler found/.test(JSON.stringify(response.body));
}

/** ISM returns the policy with fields of its own (policy_id, last_updated_time, schema_version…): compare what we set. */
function sameIsmPolicy(stored: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  const pick = (p: Record<string, unknown>) =>
    JSON.stringify({
      description: p.description,
      default_state: p.default_state,
      states: p.states,
      patterns: ((p.ism_template as { index_patterns: string[] }[] | undefined) ?? []).map((t) => t.index_patterns),
    });
  return pick(stored) === pick(wanted);
}

/** The SearchEngine on the OpenSearch client (OpenSearch, Amazon OpenSearch Service with SigV4). */
export class OpenSearchEngine implements SearchEngine {
  readonly flavour = 'opensearch';

  constructor(private readonly client: Client) {}

  async putLifecyclePolicy(id: string, bodies: { ism: object; ilm: object }): Promise<'installed' | 'unavailable'> {
    const path = `/_plugins/_ism/policies/${encodeURIComponent(id)}`;
    const current = await this.client.transport.request({ method: 'GET', path }, { ignore: [400, 404] });
    if (isNoHandler(current)) return 'unavailable';
    const existing = current.statusCode === 200 ? (current.body as { _seq_no: number; _primary_term: number; policy: Record<string, unknown> }) : undefined;
    const wanted = (bodies.ism as { policy: Record<string, unknown> }).policy;
    if (existing && sameIsmPolicy(existing.policy, wanted)) return 'installed';
    // Updating an ISM policy needs the sequence number of the stored one (optimistic concurrency).
    const querystring = existing ? { if_seq_no: existing._seq_no, if_primary_term: existing._primary_term } : {};
    await this.client.transport.request({ method: 'PUT', path, querystring, body: bodies.ism }, { ignore: [409] });
    return 'installed';
  }

  lifecycleSettings(): Record<string, unknown> {
    return {};
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

  async getDocuments(documents: readonly { index: string; id: string }[]) {
    const { body } = await this.client.mget({ body: { docs: documents.map((d) => ({ _index: d.index, _id: d.id })) } });
    return body.docs.map((doc) => versioned(doc as MgetDoc));
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
