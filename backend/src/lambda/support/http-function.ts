import type { RouteKey } from '../../api/route-access.js';
import { functionServices, type FunctionBase, type PartsOf } from '../../composition/aws-parts/function-services.js';
import type { HttpLambda } from '../../handlers/http/http-handler.js';
import { instrumentedRoute } from '../../handlers/http/instrumented-route.js';

/** One route's Lambda handler: the parts it takes built at cold start, the handler measured like every route. */
export async function httpFunction<S extends Partial<FunctionBase>>(route: RouteKey, make: (s: S & FunctionBase) => HttpLambda, parts: PartsOf<S>): Promise<HttpLambda> {
  return instrumentedRoute(route, make, await functionServices<S>(parts));
}
