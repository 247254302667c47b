import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { InvocationLogFormatter } from '../../../backend/src/logging/invocation-log-formatter.js';
import type { LogFormat, LogLevelName } from '../config/setting-types.js';
import type { LogFields, Logger } from '../ports/logger.js';

/** One log record as the backend's Powertools logger writes it: level, message, timestamp, service, fields. */
export type LogRecord = Record<string, unknown> & { level: string; message: string; timestamp: string; service: string };

/** Where finished records go (a stream, a terminal that keeps a status line, a test's array). */
export type RecordSink = (record: LogRecord) => void;

export const BRIDGE_SERVICE = 'proxitrace-bridge';

/**
 * The backend's logger, Powertools with the backend's formatter, its output sent to `sink` instead
 * of its own console: the same field names, levels, timestamps and error formatting as every
 * backend line, by construction. `printLog` is the documented extension point (protected) for that.
 */
export function powertoolsLogger(level: LogLevelName, sink: RecordSink, serviceName = BRIDGE_SERVICE): Logger {
  class SinkLogger extends PowertoolsLogger {
    protected override printLog(_level: number, log: LogItem): void {
      log.prepareForPrint();
      // Through Powertools' own replacer (errors, bigints, cycles), then back to a plain record.
      sink(JSON.parse(JSON.stringify(log.getAttributes(), this.getJsonReplacer())) as LogRecord);
    }
  }
  // The backend's formatter: the same keys in the same order as every backend line (no function or
  // request here: the bridge is no Lambda invocation, and empty keys are left out).
  const logger = new SinkLogger({ serviceName, logLevel: level, logFormatter: new InvocationLogFormatter() });
  const fieldsOf = (fields: LogFields | undefined) => fields ?? {};
  return {
    debug: (msg, fields) => logger.debug(msg, fieldsOf(fields)),
    info: (msg, fields) => logger.info(msg, fieldsOf(fields)),
    warn: (msg, fields) => logger.warn(msg, fieldsOf(fields)),
    error: (msg, fields) => logger.error(msg, fieldsOf(fields)),
  };
}

export function jsonLine(record: LogRecord): string {
  return JSON.stringify(record);
}

/** `auto`: readable lines on a terminal, JSON lines anywhere else. */
export function resolveFormat(format: LogFormat, stream: { isTTY?: boolean }): 'json' | 'readable' {
  return format === 'auto' ? (stream.isTTY === true ? 'readable' : 'json') : format;
}
