import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { currentInvocation } from '../handlers/invocation-scope.js';

/**
 * Powertools' standard keys, with the function and request of the invocation the line was logged
 * in (handlers/invocation-scope.ts) in place of whatever Lambda context the logger holds: a logger
 * shared by several handlers (the local stack hosts them all) would otherwise name the last one.
 * Lines outside any invocation (start-up, shutdown) name no request.
 */
export class InvocationLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const invocation = currentInvocation();
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: context?.coldStart,
        function_name: invocation?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME,
        function_request_id: invocation?.requestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(additional);
  }
}
