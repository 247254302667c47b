import { createLogger } from '../composition/logger.js';
import { loadBackendConfig } from '../config/backend-config.js';
import { makeFallback } from '../handlers/fallback-handler.js';
import { behindEdge } from '../handlers/http/edge-origin.js';

const config = loadBackendConfig(process.env);
const logger = createLogger(config, config.metrics.service);

/**
 * API Gateway's `$default` route: whatever matched no route is 404, or 405 with Allow, in the API's
 * error shape, and only through CloudFront (EDGE_ORIGIN_SECRET) like every route. It needs only the
 * logger, so it builds no AWS client and reads nothing from Secrets Manager.
 */
export const handler = behindEdge(makeFallback({ logger }), config.edgeOriginSecret, logger);
