import { ConfigError } from '../config/env-schema.js';
import { loadBackendConfig } from '../config/backend-config.js';
import { createAwsServices, type AwsServices } from './aws.js';
import { createLogger } from './logger.js';

/**
 * The composition root of a Lambda instance: configuration from its environment, the AWS adapters
 * built once per instance. Lambda always runs BACKEND=aws; the embedded adapters (and SQLite's
 * native module) stay out of the bundles.
 */
export async function awsServicesFromEnv(env: Record<string, string | undefined> = process.env): Promise<AwsServices> {
  const config = loadBackendConfig(env);
  if (config.backend !== 'aws') throw new ConfigError('Invalid configuration:\n  BACKEND: must be aws in a Lambda function');
  return createAwsServices(config, createLogger(config, config.metrics.service));
}
