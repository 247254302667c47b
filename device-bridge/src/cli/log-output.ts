import { styleText } from 'node:util';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogItem } from '@aws-lambda-powertools/logger';
import type { LogFormat, LogLevelName } from '../config/setting-types.js';
import type { LogFields, Logger } from '../ports/logger.js';

/** One log record as the backend's Powertools logger writes it: level, message, timestamp, service, fields. */
export type LogRecord = Record<string, unknown> & { level: string; message: string; timestamp: string; service: string };

/** Where finished records go (a stream, a terminal that keeps a status line, a test's array). */
export type RecordSink = (record: LogRecord) => void;

export const BRIDGE_SERVICE = 'proxitrace-bridge';

/**
 * The backend's logger, Powertools, with its output sent to `sink` instead of its own console:
 * the same field names, levels, timestamps and error formatting as every backend line, by
 * construction. `printLog` is the documented extension point (protected) for that.
 */
export function powertoolsLogger(level: LogLevelName, sink: RecordSink, serviceName = BRIDGE_SERVICE): Logger {
  class SinkLogger extends PowertoolsLogger {
    protected override printLog(_level: number, log: LogItem): void {
      log.prepareForPrint();
      // Through Powertools' own replacer (errors, bigints, cycles), then back to a plain record.
      sink(JSON.parse(JSON.stringify(log.getAttributes(), this.getJsonReplacer())) as LogRecord);
    }
  }
  const logger = new SinkLogger({ serviceName, logLevel: level });
  const fieldsOf = (fields: LogFields | undefined) => fields ?? {};
  return {
    debug: (msg, fields) => logger.debug(msg, fieldsOf(fields)),
    info: (msg, fields) => logger.info(msg, fieldsOf(fields)),
    warn: (msg, fields) => logger.warn(msg, fieldsOf(fields)),
    error: (msg, fields) => logger.error(msg, fieldsOf(fields)),
  };
}

const BASE_KEYS = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate']);
const LEVEL_STYLE: Record<string, Parameters<typeof styleText>[0]> = { DEBUG: 'gray', INFO: 'green', WARN: 'yellow', ERROR: 'red', CRITICAL: 'red' };

/** `12:03:04.512 WARN  upload failed, retrying in 4s  batchId=… reason="connection refused to 127.0.0.1:3000"` */
export function textLine(record: LogRecord, colour: boolean): string {
  const time = record.timestamp.slice(11, 23);
  const level = record.level.padEnd(5);
  const fields = Object.entries(record)
    .filter(([k]) => !BASE_KEYS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  const head = colour ? `${styleText('gray', time)} ${styleText(LEVEL_STYLE[record.level] ?? 'white', level)}` : `${time} ${level}`;
  return `${head} ${record.message}${fields ? `  ${colour ? styleText('gray', fields) : fields}` : ''}`;
}

export function jsonLine(record: LogRecord): string {
  return JSON.stringify(record);
}

/** `auto`: readable lines on a terminal, JSON lines anywhere else. */
export function resolveFormat(format: LogFormat, stream: { isTTY?: boolean }): 'json' | 'readable' {
  return format === 'auto' ? (stream.isTTY === true ? 'readable' : 'json') : format;
}
