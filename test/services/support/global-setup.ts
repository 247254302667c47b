import type { TestProject } from 'vitest/node';
import { startLocalServices, type LocalEndpoints } from '../../../infra/local-services/start-local-services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    localServices: LocalEndpoints;
  }
}

/** Starts the engines once for the whole run, on free ports, and stops them afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await startLocalServices({
    only: ['dynamodb', 'sqs', 'opensearch', 'cognito'],
    ports: 'free',
    prefix: 'global-',
    progress: (message) => console.log(`[services] ${message}`),
  });
  project.provide('localServices', services.endpoints);
  return () => services.stop();
}
