import { loadBackendConfig } from '../config/backend-config.js';
import { createAwsServices } from './aws.js';
import type { BackendServices } from './backend-services.js';
import { createEmbeddedServices } from './embedded.js';
import { createLogger } from './logger.js';

/**
 * The composition root of a Lambda instance: configuration from its environment, adapters built
 * once per instance. BACKEND picks them: `embedded` (SQLite, local identity) or `aws` (DynamoDB,
 * SQS, OpenSearch, Cognito).
 */
export async function servicesFromEnv(env: Record<string, string | undefined> = process.env): Promise<BackendServices> {
  const config = loadBackendConfig(env);
  const logger = createLogger(config);
  return config.backend === 'aws' ? createAwsServices(config, logger) : createEmbeddedServices(config, logger);
}
