import type { ClientOptions as OpenSearchOptions } from '@opensearch-project/opensearch';
import { ElasticsearchEngine } from '../adapters/search/elasticsearch-engine.js';
import { OpenSearchEngine } from '../adapters/search/opensearch-engine.js';
import type { SearchEngine } from '../adapters/search/search-engine.js';
import type { AwsConfig, SearchConfig } from '../config/aws-config.js';

export interface ConfiguredSearchEngine {
  engine: SearchEngine;
  close(): Promise<void>;
}

/** Reads a secret's string value (the Elastic API key kept in Secrets Manager). */
export type SecretReader = (secretId: string) => Promise<string>;

/**
 * The search client SEARCH_ENGINE names, authenticated as SEARCH_AUTH says: SigV4 with the AWS
 * credentials for Amazon OpenSearch Service, an API key for Elastic (given, or read from its
 * secret), or basic auth for either.
 *
 * The client library is imported, and an API key secret read, on the first request, not at
 * start-up: a process loads only the client it uses, and a Lambda function that never searches
 * loads none and reads no secret (infra leaves the unused clients out of each function's bundle).
 */
export function searchEngineFromConfig(search: SearchConfig, aws: Pick<AwsConfig, 'region' | 'credentials'>, readSecret?: SecretReader): ConfiguredSearchEngine {
  const { auth } = search;
  if (auth.kind === 'api-key-secret' && !readSecret) throw new Error('SEARCH_API_KEY_SECRET_ID needs a Secrets Manager client to read the key');
  if (search.engine === 'elasticsearch' && auth.kind === 'sigv4') throw new Error('SigV4 signing is for Amazon OpenSearch Service, not Elasticsearch');
  if (search.engine === 'opensearch' && (auth.kind === 'api-key' || auth.kind === 'api-key-secret')) throw new Error('OpenSearch takes SigV4 or basic auth, not an Elastic API key');
  let connected: Promise<ConfiguredSearchEngine> | undefined;
  const connect = () => (connected ??= search.engine === 'elasticsearch' ? elasticsearch(search, readSecret) : opensearch(search, aws));
  return { engine: lazyEngine(async () => (await connect()).engine), close: async () => void (await connected?.then((c) => c.close())) };
}

async function elasticsearch(search: SearchConfig, readSecret: SecretReader | undefined): Promise<ConfiguredSearchEngine> {
  const { auth } = search;
  const apiKey = auth.kind === 'api-key' ? auth.apiKey : auth.kind === 'api-key-secret' ? await readSecret!(auth.secretId) : undefined;
  const { Client } = await import('@elastic/elasticsearch');
  const client = new Client({
    node: search.node,
    ...(apiKey ? { auth: { apiKey } } : {}),
    ...(auth.kind === 'basic' ? { auth: { username: auth.username, password: auth.password } } : {}),
  });
  return { engine: new ElasticsearchEngine(client), close: () => client.close() };
}

async function opensearch(search: SearchConfig, aws: Pick<AwsConfig, 'region' | 'credentials'>): Promise<ConfiguredSearchEngine> {
  const { auth } = search;
  const { Client } = await import('@opensearch-project/opensearch');
  const options: OpenSearchOptions = { node: search.node };
  if (auth.kind === 'basic') options.auth = { username: auth.username, password: auth.password };
  if (auth.kind === 'sigv4') {
    const [{ AwsSigv4Signer }, { defaultProvider }] = await Promise.all([import('@opensearch-project/opensearch/aws-v3'), import('@aws-sdk/credential-provider-node')]);
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
  const client = new Client(options);
  return { engine: new OpenSearchEngine(client), close: () => client.close() };
}

/** A SearchEngine that connects on its first call. */
function lazyEngine(engine: () => Promise<SearchEngine>): SearchEngine {
  return new Proxy({} as SearchEngine, {
    get: (_target, method: string | symbol) =>
      // Not a thenable: `await`ing the engine must not call it.
      method === 'then' || typeof method === 'symbol'
        ? undefined
        : async (...args: unknown[]) => {
            const real = await engine();
            return (real[method as keyof SearchEngine] as (...a: unknown[]) => Promise<unknown>).apply(real, args);
          },
  });
}
