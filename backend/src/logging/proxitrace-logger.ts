import { Logger, LogLevelThreshold, type LogItem } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import { InvocationLogFormatter } from './invocation-log-formatter.js';
import { readableLine } from './readable-line.js';

export type LogFormat = 'json' | 'readable';

/**
 * Powertools' Logger, attributing each line to the invocation it was logged in, and printing
 * either JSON lines (Lambda, files, pipes) or readable lines for a person at a terminal. Warnings
 * and errors go to stderr, the rest to stdout, in both formats.
 */
export class ProxitraceLogger extends Logger {
  constructor(
    options: ConstructorOptions,
    private readonly format: LogFormat = 'json',
  ) {
    super({ ...options, logRecordOrder: undefined, logFormatter: new InvocationLogFormatter() } as ConstructorOptions);
  }

  protected override createLogger(options?: ConstructorOptions): Logger {
    return new ProxitraceLogger(options ?? {}, this.format);
  }

  override createChild(options?: ConstructorOptions): ProxitraceLogger {
    return super.createChild(options) as ProxitraceLogger;
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    if (this.format === 'json') return super.printLog(logLevel, log);
    const stream = logLevel >= LogLevelThreshold.WARN ? process.stderr : process.stdout;
    stream.write(`${readableLine(log.getAttributes(), stream.isTTY === true)}\n`);
  }
}
