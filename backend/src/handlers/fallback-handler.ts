import { allowedMethods } from '../api/openapi.js';
import type { BackendServices } from '../composition/backend-services.js';
import { httpHandler, type HttpLambda } from './http/http-handler.js';
import { errorResponse } from './http/responses.js';

/**
 * API Gateway's `$default` route (and the local server's): a known path with another method is
 * 405 with an Allow header; anything else is 404, both in the API's error shape.
 */
export function makeFallback(s: Pick<BackendServices, 'logger'>): HttpLambda {
  return httpHandler(s.logger, async (event) => {
    const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
    const method = event.requestContext?.http?.method ?? 'GET';
    const allowed = allowedMethods(path);
    if (allowed.length === 0) return errorResponse(404, 'not_found', `No route for ${path}.`);
    return errorResponse(405, 'method_not_allowed', `${method} is not allowed on ${path}; use ${allowed.join(', ')}.`, { allowed }, { allow: allowed.join(', ') });
  });
}
