import type { RouteKey } from '../../api/route-access.js';
import type { BackendServices } from '../../composition/backend-services.js';
import { withHttpMetrics, type HttpLambda } from './http-handler.js';

/** A route's handler as it is served: measured (requests, latency, errors by route) and flushed per request. */
export function instrumentedRoute(key: RouteKey, make: (s: BackendServices) => HttpLambda, services: BackendServices): HttpLambda {
  return withHttpMetrics(key, make(services), { metrics: services.metrics, clock: services.clock });
}
