import { ConfigError } from '../../config/env-schema.js';
import { loadBackendConfig } from '../../config/backend-config.js';
import type { BackendServices } from '../backend-services.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { awsContext, warnIfInsecure, type AwsContext } from './aws-context.js';

/** What every function has without building a part: its configuration, logger, clock and metrics. */
export type FunctionBase = Pick<BackendServices, 'config' | 'logger' | 'clock' | 'metrics'>;

/** How to build each service a handler takes beyond the base, from the function's context. */
export type PartsOf<S> = { [P in Exclude<keyof S, keyof FunctionBase>]-?: (ctx: AwsContext) => S[P] | Promise<S[P]> };

/**
 * The composition root of one Lambda function: configuration from its environment, and only the
 * parts its handler takes (each an aws-parts/ builder), built once per instance in the order listed.
 * A function's bundle so holds only the adapters and SDK clients it uses. Lambda always runs
 * BACKEND=aws; the embedded adapters (and SQLite's native module) stay out of the bundles.
 */
export async function functionServices<S extends Partial<FunctionBase>>(parts: PartsOf<S>, env: Record<string, string | undefined> = process.env): Promise<S & FunctionBase> {
  const config = loadBackendConfig(env);
  if (config.backend !== 'aws') throw new ConfigError('Invalid configuration:\n  BACKEND: must be aws in a Lambda function');
  const logger = createLogger(config, config.metrics.service);
  const ctx = awsContext(config, logger);
  warnIfInsecure(config, logger);
  const built: Record<string, unknown> = {};
  try {
    for (const [name, build] of Object.entries(parts) as [string, (c: AwsContext) => unknown][]) built[name] = await build(ctx);
  } catch (error) {
    await ctx.close();
    throw error;
  }
  return { config, logger, clock: ctx.clock, metrics: createMetrics(config), ...built } as S & FunctionBase;
}
