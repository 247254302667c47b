import type { RouteKey } from '../../api/route-access.js';
import type { BackendServices } from '../../composition/backend-services.js';
import { withHttpMetrics, type HttpLambda } from './http-handler.js';

/** Routes whose latency is also the time from an infection report to its contacts' notifications. */
const TIME_TO_NOTIFY_ROUTES: ReadonlySet<RouteKey> = new Set(['POST /v1/infections']);

/** A route's handler as it is served: measured (requests, latency, errors by route) and flushed per request. */
export function instrumentedRoute(key: RouteKey, make: (s: BackendServices) => HttpLambda, services: BackendServices): HttpLambda {
  return withHttpMetrics(key, make(services), {
    metrics: services.metrics,
    clock: services.clock,
    latencyAlso: TIME_TO_NOTIFY_ROUTES.has(key) ? 'TimeToNotify' : undefined,
  });
}
