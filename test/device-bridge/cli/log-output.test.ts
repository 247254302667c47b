import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../backend/src/composition/logger.js';
import { powertoolsLogger, textLine, type LogRecord } from '../../../device-bridge/src/cli/log-output.js';

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

  it('renders a readable line for terminals', () => {
    const record: LogRecord = { level: 'WARN', message: 'upload failed, retrying in 4s', timestamp: '2026-12-01T12:03:04.512Z', service: 'proxitrace-bridge', sampling_rate: 0, reason: 'connection refused to 127.0.0.1:3000', attempts: 2 };
    expect(textLine(record, false)).toBe('12:03:04.512 WARN  upload failed, retrying in 4s  reason="connection refused to 127.0.0.1:3000" attempts=2');
  });
});
