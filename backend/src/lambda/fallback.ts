import { createLogger } from '../composition/logger.js';
import { loadBackendConfig } from '../config/backend-config.js';
import { makeFallback } from '../handlers/fallback-handler.js';

const config = loadBackendConfig(process.env);

/**
 * API Gateway's `$default` route: whatever matched no route is 404, or 405 with Allow, in the API's
 * error shape. It needs only the logger, so it builds no AWS client and reads no secret.
 */
export const handler = makeFallback({ logger: createLogger(config, config.metrics.service) });
