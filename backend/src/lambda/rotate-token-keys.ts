import { rotateTokenKeys, type RotationEvent } from '../adapters/token-keys/token-key-rotation.js';
import { createLogger } from '../composition/logger.js';
import { secretsManagerClient } from '../composition/secrets.js';
import { loadBackendConfig } from '../config/backend-config.js';

const config = loadBackendConfig(process.env);
const logger = createLogger(config, config.metrics.service);
const aws = config.aws!;
const client = secretsManagerClient(aws);

/** The longest run of token windows a device may fetch ahead in one call (the API's maximum count). */
const MAX_PREFETCH_WINDOWS = 8;

/**
 * A rotated key issues only after three refresh intervals of every instance (each has read it by
 * then); a replaced key resolves on for the lookback, the longest prefetch and the grace, plus a day.
 */
const policy = {
  activationDelayMs: 3 * aws.tokenKeys.refreshMs,
  retireAfterMs: config.exposurePolicy.lookbackMs + MAX_PREFETCH_WINDOWS * config.tokenTtlMinutes * 60_000 + config.sightingRules.graceMs + 86_400_000,
};

export async function handler(event: RotationEvent): Promise<void> {
  logger.info('token key rotation step', { step: event.Step, version: event.ClientRequestToken });
  await rotateTokenKeys(client, event, policy, new Date());
}
