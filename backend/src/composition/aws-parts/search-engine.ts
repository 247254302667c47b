import type { SearchEngine } from '../../adapters/search/search-engine.js';
import { searchEngineFromConfig } from '../search-engine-from-config.js';
import type { AwsContext } from './aws-context.js';
import { readSecret } from './secrets-client.js';

/** The search engine (it connects, and reads an API key secret, on its first request). */
export function searchEngine(ctx: AwsContext): SearchEngine {
  return ctx.once('search', () => {
    const search = searchEngineFromConfig(ctx.aws.search, ctx.aws, (secretId) => readSecret(ctx, secretId));
    ctx.onClose(() => search.close());
    return search.engine;
  });
}
