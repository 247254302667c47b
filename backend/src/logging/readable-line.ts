/** Keys every line has, shown in the line's head rather than among its fields. */
const HEAD_KEYS = new Set(['level', 'message', 'timestamp', 'service', 'cold_start', 'function_name', 'function_request_id', 'xray_trace_id', 'sampling_rate']);

const LEVEL_COLOURS: Record<string, string> = { DEBUG: '\x1b[2m', INFO: '\x1b[36m', WARN: '\x1b[33m', ERROR: '\x1b[31m', CRITICAL: '\x1b[41m' };

/**
 * One log record as one readable terminal line: time, level, where it was logged (function and the
 * start of the request id), the message, then its fields as key=value (JSON for objects).
 */
export function readableLine(record: Record<string, unknown>, colour: boolean): string {
  const level = String(record.level ?? 'INFO');
  const time = typeof record.timestamp === 'string' ? record.timestamp.slice(11, 23) : '';
  const where = record.function_name ? ` [${String(record.function_name)}${record.function_request_id ? ` ${String(record.function_request_id).slice(0, 8)}` : ''}]` : '';
  const fields = Object.entries(record)
    .filter(([key, value]) => !HEAD_KEYS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`)
    .join(' ');
  const paint = (code: string | undefined, text: string) => (colour && code ? `${code}${text}\x1b[0m` : text);
  return `${paint('\x1b[2m', time)} ${paint(LEVEL_COLOURS[level], level.padEnd(5))}${paint('\x1b[2m', where)} ${String(record.message ?? '')}${fields ? `  ${paint('\x1b[2m', fields)}` : ''}`;
}
