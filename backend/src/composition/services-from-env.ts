import { loadBackendConfig } from '../config/backend-config.js';
import type { BackendServices } from './backend-services.js';
import { createEmbeddedServices } from './embedded.js';
import { createLogger } from './logger.js';

/**
 * The composition root of a Lambda instance: configuration from its environment, adapters built
 * once per instance. Only the embedded adapters exist so far; the AWS ones (DynamoDB, SQS,
 * Cognito, OpenSearch) are chosen here once they do.
 */
export async function servicesFromEnv(env: Record<string, string | undefined> = process.env): Promise<BackendServices> {
  const config = loadBackendConfig(env);
  return createEmbeddedServices(config, createLogger(config));
}
