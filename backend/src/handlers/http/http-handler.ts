import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
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
