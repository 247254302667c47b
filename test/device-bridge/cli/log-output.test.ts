import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../backend/src/composition/logger.js';
import { ProxitraceLogger } from '../../../backend/src/logging/proxitrace-logger.js';
import { ConsoleOutput } from '../../../device-bridge/src/cli/console-output.js';
import { powertoolsLogger, type LogRecord } from '../../../device-bridge/src/cli/log-output.js';

/** What the backend's own logger prints for one call, captured from the process's stdout/stderr. */
function backendRecord(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((s) => s.write.bind(s));
  for (const s of streams) s.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof s.write;
  try {
    createLogger({ logLevel: 'DEBUG' }, 'proxitrace-bridge')[level](message, fields);
  } finally {
    streams.forEach((s, i) => (s.write = originals[i]!));
  }
  return JSON.parse(lines.join('')) as Record<string, unknown>;
}

describe('the bridge logs in the backend’s format', () => {
  it.each(['debug', 'info', 'warn', 'error'] as const)('%s: the same fields, names and level as the backend’s Powertools logger', (level) => {
    const records: LogRecord[] = [];
    powertoolsLogger('DEBUG', (r) => records.push(r))[level]('batch uploaded', { batchId: 'b1', observations: 4, reason: undefined });
    const ours = records[0]!;
    const theirs = backendRecord(level, 'batch uploaded', { batchId: 'b1', observations: 4, reason: undefined });
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    expect(ours.level).toBe(theirs.level);
    expect(ours.level).toBe(level.toUpperCase());
    expect({ ...ours, timestamp: undefined }).toEqual({ ...theirs, timestamp: undefined });
    expect(ours.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('honours the level, as LOG_LEVEL does', () => {
    const records: LogRecord[] = [];
    const logger = powertoolsLogger('WARN', (r) => records.push(r));
    logger.info('quiet');
    logger.warn('loud');
    expect(records.map((r) => r.message)).toEqual(['loud']);
  });

  it('prints the backend\'s readable line (LOG_FORMAT=readable) for the same call', () => {
    const fields = { reason: 'connection refused to 127.0.0.1:3000', attempts: 2 };
    const bridgeLines: string[] = [];
    const sink = { isTTY: false, write: (chunk: string) => (bridgeLines.push(chunk), true) };
    new ConsoleOutput({ level: 'INFO', format: 'readable' }, { stdout: sink, stderr: sink }).logger.warn('upload failed, retrying in 4s', fields);

    const backendLines: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (backendLines.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      new ProxitraceLogger({ serviceName: 'proxitrace-bridge', logLevel: 'INFO' }, 'readable').warn('upload failed, retrying in 4s', fields);
    } finally {
      process.stderr.write = original;
    }
    const withoutTime = (line: string) => line.replace(/^\d\d:\d\d:\d\d\.\d{3} /, '');
    expect(bridgeLines).toHaveLength(1);
    expect(withoutTime(bridgeLines[0]!)).toBe('WARN  upload failed, retrying in 4s  reason="connection refused to 127.0.0.1:3000" attempts=2\n');
    expect(withoutTime(bridgeLines[0]!)).toBe(withoutTime(backendLines.join('')));
  });
});
