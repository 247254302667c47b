import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Clock } from '../../application/clock.js';
import type { BackendMetrics } from '../../ports/metrics.js';
import { withinInvocation } from '../invocation-scope.js';
import { toHttpError } from './http-error.js';
import { errorResponse } from './responses.js';

export type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Wraps a route's logic: client mistakes become their 4xx JSON error, anything else is logged
 * with the request id and becomes a 500 that reveals nothing internal.
 */
export function httpHandler(parentLogger: Logger, route: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>): HttpLambda {
  // Each route keeps its own Lambda context in its logs, also when the local server hosts them all.
  const logger = parentLogger.createChild();
  return (event, context) => {
    logger.addContext(context);
    return withinInvocation(context, () => answer(event, context));
  };

  async function answer(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
    try {
      return await route(event);
    } catch (error) {
      const httpError = toHttpError(error);
      if (httpError) {
        logger.debug('client error', { status: httpError.statusCode, code: httpError.code, route: event.routeKey });
        return errorResponse(httpError.statusCode, httpError.code, httpError.message, httpError.details, httpError.headers);
      }
      logger.error('unhandled error', { route: event.routeKey, error: error as Error });
      return errorResponse(500, 'internal_error', 'Something went wrong on our side; the request can be retried.', {
        requestId: event.requestContext?.requestId ?? context.awsRequestId,
      });
    }
  }
}

export interface HttpMetricsOptions {
  metrics: BackendMetrics;
  clock: Clock;
}

/**
 * Records every request of a route (count, latency, 4xx and 5xx by route) and flushes them when it
 * answers. Applied once per route where routes meet their handlers (the local server's table and
 * each Lambda entry), so every handler is measured the same way without knowing it.
 */
export function withHttpMetrics(route: string, lambda: HttpLambda, options: HttpMetricsOptions): HttpLambda {
  const { metrics, clock } = options;
  const dimensions = { route };
  return async (event, context) => {
    const started = clock().getTime();
    try {
      const result = await lambda(event, context);
      const status = result.statusCode ?? 200;
      if (status >= 500) metrics.count('HttpServerErrors', 1, dimensions);
      else if (status >= 400) metrics.count('HttpClientErrors', 1, dimensions);
      return result;
    } catch (error) {
      metrics.count('HttpServerErrors', 1, dimensions);
      throw error;
    } finally {
      metrics.count('HttpRequests', 1, dimensions);
      metrics.duration('HttpLatency', clock().getTime() - started, dimensions);
      metrics.flush();
    }
  };
}
