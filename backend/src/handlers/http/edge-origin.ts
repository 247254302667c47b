import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { HttpLambda } from './http-handler.js';
import { errorResponse } from './responses.js';

/**
 * The origin custom header CloudFront adds to every request it relays to the API. Its value, the
 * deployment's edge secret, is never given to clients: a request without it did not pass the WAF.
 */
export const EDGE_SECRET_HEADER = 'x-origin-verify';

/** The viewer's address and source port as CloudFront saw the connection: `198.51.100.7:4431`, `2001:db8::7:4431`. */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/**
 * Serves only requests relayed by the deployment's CloudFront distribution. Behind CloudFront every
 * request reaches API Gateway from an edge server's address, so the client's address (the key of
 * the per-address sign-in limits) is the viewer's, from `CloudFront-Viewer-Address`; it is trusted
 * only on a request that carried the secret. The secret header is removed before the route sees it.
 */
export function throughEdgeOnly(route: HttpLambda, secret: string, logger: Logger): HttpLambda {
  const expected = digest(secret);
  return async (event, context) => {
    const given = event.headers?.[EDGE_SECRET_HEADER];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      return errorResponse(403, 'edge_required', 'This endpoint serves the API only through its published URL.');
    }
    const viewer = viewerAddress(event.headers[VIEWER_ADDRESS_HEADER]);
    if (viewer === undefined) {
      // The distribution's origin request policy must forward CloudFront's headers (infra: AllViewerExceptHostHeader).
      logger.error('a relayed request came without a usable CloudFront-Viewer-Address', { route: event.routeKey, header: event.headers[VIEWER_ADDRESS_HEADER] });
      return errorResponse(500, 'internal_error', 'Something went wrong on our side; the request can be retried.', { requestId: event.requestContext?.requestId ?? context.awsRequestId });
    }
    const { [EDGE_SECRET_HEADER]: _secret, ...headers } = event.headers;
    return route({ ...event, headers, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, sourceIp: viewer } } }, context);
  };
}

/** The route as served: only through the edge when the deployment has an edge secret, as it is. */
export function behindEdge(route: HttpLambda, secret: string | undefined, logger: Logger): HttpLambda {
  return secret === undefined ? route : throughEdgeOnly(route, secret, logger);
}

/** The address part of `address:port` (IPv6 unbracketed, as CloudFront writes it), or undefined. */
export function viewerAddress(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const colon = header.lastIndexOf(':');
  if (colon <= 0 || !/^\d{1,5}$/.test(header.slice(colon + 1))) return undefined;
  const address = header.slice(0, colon);
  return isIP(address) === 0 ? undefined : address;
}

/** Equal-length digests, so that comparing them in constant time reveals nothing of the secret's length either. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
