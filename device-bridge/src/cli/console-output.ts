import { createLogUpdate } from 'log-update';
import type { LogFormat, LogLevelName } from '../config/setting-types.js';
import type { Logger } from '../ports/logger.js';
import { readableLine } from '../../../backend/src/logging/readable-line.js';
import { jsonLine, powertoolsLogger, resolveFormat, type LogRecord } from './log-output.js';

interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

/**
 * The CLI's two outputs: log records on stderr and the status on stdout. On a terminal the status
 * is one line kept at the bottom (log-update, which also handles a line wider than the terminal)
 * and every log line is printed above it, never glued onto it; elsewhere the status is a JSON
 * record per period, in the same format as the logs.
 */
export class ConsoleOutput {
  readonly logger: Logger;
  private readonly statusLogger: Logger;
  private readonly update: ReturnType<typeof createLogUpdate> | undefined;
  private shown: string | undefined;

  constructor(
    options: { level: LogLevelName; format: LogFormat },
    private readonly streams: { stdout: Stream; stderr: Stream } = { stdout: process.stdout, stderr: process.stderr },
  ) {
    const { stdout, stderr } = streams;
    const format = resolveFormat(options.format, stderr);
    const colour = format === 'readable' && stderr.isTTY === true;
    this.update = stdout.isTTY === true ? createLogUpdate(stdout as NodeJS.WriteStream, { showCursor: true }) : undefined;
    this.logger = powertoolsLogger(options.level, (record) => this.writeLog(format === 'json' ? jsonLine(record) : readableLine(record, colour)));
    this.statusLogger = powertoolsLogger('INFO', (record: LogRecord) => stdout.write(`${jsonLine(record)}\n`));
  }

  /** Shows the status: the kept line on a terminal, otherwise a `status` record on stdout. */
  status(line: string, fields: Record<string, unknown>): void {
    if (this.update === undefined) {
      this.statusLogger.info('status', fields);
      return;
    }
    // One row: cut to the terminal's width rather than wrapping onto a second one.
    const width = this.streams.stdout.columns ?? 0;
    this.shown = width > 1 && line.length >= width ? `${line.slice(0, width - 2)}…` : line;
    this.update(this.shown);
  }

  /** Leaves the last status line on screen, followed by a newline. */
  close(): void {
    if (this.update !== undefined && this.shown !== undefined) this.update.done();
    this.shown = undefined;
  }

  private writeLog(line: string): void {
    // Log lines and the status share one terminal: take the status away, print, put it back.
    const sharesTerminal = this.update !== undefined && this.shown !== undefined && this.streams.stderr.isTTY === true;
    if (sharesTerminal) this.update!.clear();
    this.streams.stderr.write(`${line}\n`);
    if (sharesTerminal) this.update!(this.shown!);
  }
}
