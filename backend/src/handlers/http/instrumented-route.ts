import type { RouteKey } from '../../api/route-access.js';
import type { BackendServices } from '../../composition/backend-services.js';
import { behindEdge } from './edge-origin.js';
import { withHttpMetrics, type HttpLambda } from './http-handler.js';

/**
 * A route's handler as it is served: measured (requests, latency, errors by route) and flushed per
 * request; behind the deployment's CloudFront distribution (EDGE_ORIGIN_SECRET), only as relayed by it.
 */
export function instrumentedRoute<S extends Pick<BackendServices, 'config' | 'logger' | 'metrics' | 'clock'>>(key: RouteKey, make: (s: S) => HttpLambda, services: S): HttpLambda {
  const served = behindEdge(make(services), services.config.edgeOriginSecret, services.logger);
  return withHttpMetrics(key, served, { metrics: services.metrics, clock: services.clock });
}
