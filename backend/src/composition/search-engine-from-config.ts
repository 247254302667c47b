import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { Client as OpenSearchClient, type ClientOptions as OpenSearchOptions } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { ElasticsearchEngine } from '../adapters/search/elasticsearch-engine.js';
import { OpenSearchEngine } from '../adapters/search/opensearch-engine.js';
import type { SearchEngine } from '../adapters/search/search-engine.js';
import type { AwsConfig, SearchConfig } from '../config/aws-config.js';

export interface ConfiguredSearchEngine {
  engine: SearchEngine;
  close(): Promise<void>;
}

/**
 * The search client SEARCH_ENGINE names, authenticated as SEARCH_AUTH says: SigV4 with the AWS
 * credentials for Amazon OpenSearch Service, an API key for Elastic, or basic auth for either.
 */
export function searchEngineFromConfig(search: SearchConfig, aws: Pick<AwsConfig, 'region' | 'credentials'>): ConfiguredSearchEngine {
  const { auth } = search;
  if (auth.kind === 'api-key-secret') throw new Error('read the API key from its secret first (resolveSearchApiKey)');
  if (search.engine === 'elasticsearch') {
    if (auth.kind === 'sigv4') throw new Error('SigV4 signing is for Amazon OpenSearch Service, not Elasticsearch');
    const client = new ElasticsearchClient({
      node: search.node,
      ...(auth.kind === 'api-key' ? { auth: { apiKey: auth.apiKey } } : {}),
      ...(auth.kind === 'basic' ? { auth: { username: auth.username, password: auth.password } } : {}),
    });
    return { engine: new ElasticsearchEngine(client), close: () => client.close() };
  }
  if (auth.kind === 'api-key') throw new Error('OpenSearch takes SigV4 or basic auth, not an Elastic API key');
  const options: OpenSearchOptions = { node: search.node };
  if (auth.kind === 'basic') options.auth = { username: auth.username, password: auth.password };
  if (auth.kind === 'sigv4') {
    const explicit = aws.credentials;
    Object.assign(
      options,
      AwsSigv4Signer({
        region: aws.region,
        service: auth.service,
        // Explicit keys when configured, else the SDK's chain (the Lambda role), refreshed as it expires.
        getCredentials: explicit ? async () => ({ ...explicit }) : defaultProvider(),
      }),
    );
  }
  const client = new OpenSearchClient(options);
  return { engine: new OpenSearchEngine(client), close: () => client.close() };
}
