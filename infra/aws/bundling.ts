import { resolve } from 'node:path';
import type { FunctionSpec } from '../../backend/src/lambda/functions.js';

/** The repository root: entries, the lock file and node_modules live there. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const LAMBDA_DIR = resolve(REPO_ROOT, 'backend/src/lambda');

/** Lambda's Node major, for the runtime, esbuild's target and the cold-start bench. */
export const LAMBDA_NODE_MAJOR = 24;

/**
 * How every function is bundled (NodejsFunction's esbuild options, also used by the cold-start
 * bench): one ESM file (the entries use top-level await), minified and tree-shaken, with a source
 * map, everything bundled (the AWS SDK too: versions pinned by the lock file, not by the runtime).
 * CommonJS dependencies call `require` for Node built-ins, which an ESM bundle must provide.
 */
export const BUNDLING = {
  format: 'esm',
  target: `node${LAMBDA_NODE_MAJOR}`,
  platform: 'node',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: "import { createRequire as __pt_createRequire } from 'node:module'; const require = __pt_createRequire(import.meta.url);",
  /** Native and optional modules no AWS path reaches. */
  external: ['better-sqlite3', '@aws-sdk/signature-v4-crt', 'aws-crt'],
  /** In Lambda the credentials are always in the environment: the SDK's default chain is replaced (lambda-credentials.ts). */
  alias: {
    '@aws-sdk/credential-provider-node': resolve(REPO_ROOT, 'infra/aws/lambda-credentials.ts'),
    // The SDK's HTTP handler imports node:http (plain-HTTP endpoints) as ESM; node-http.cjs says why not.
    'node:http': resolve(REPO_ROOT, 'infra/aws/node-http.cjs'),
  },
} as const;

const SEARCH_CLIENTS = { 'opensearch-service': '@opensearch-project/opensearch', 'elastic-cloud': '@elastic/elasticsearch' } as const;

/**
 * The modules left out of one function's bundle: the native ones, and every search client it cannot
 * load (search-engine-from-config imports the client on the first request): both for a function
 * without search access, the other engine's for the rest.
 */
export function externalModules(spec: FunctionSpec, searchKind: keyof typeof SEARCH_CLIENTS): string[] {
  const unused = Object.entries(SEARCH_CLIENTS).filter(([kind]) => !spec.access.search || kind !== searchKind).map(([, pkg]) => pkg);
  return [...BUNDLING.external, ...unused];
}
