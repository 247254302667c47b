import type { RouteKey } from '../../api/route-access.js';
import type { BackendServices } from '../../composition/backend-services.js';
import { awsServicesFromEnv } from '../../composition/aws-services-from-env.js';
import type { HttpLambda } from '../../handlers/http/http-handler.js';
import { instrumentedRoute } from '../../handlers/http/instrumented-route.js';

/** One route's Lambda handler: services built at cold start, the handler measured like every route. */
export async function httpFunction(route: RouteKey, make: (s: BackendServices) => HttpLambda): Promise<HttpLambda> {
  return instrumentedRoute(route, make, await awsServicesFromEnv());
}
