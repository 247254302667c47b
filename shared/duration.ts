import { z } from 'zod';

/**
 * Durations as people write them in flags and environment variables, for every program in this
 * repository: "250ms", "90s", "15m", "1.5h", or a bare number of seconds ("900"). Units are
 * case-insensitive and may be separated from the number by spaces. Results are whole milliseconds.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i;

export const DURATION_EXAMPLES = '250ms, 90s, 15m, 1.5h or a bare number of seconds';

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = PATTERN.exec(text);
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 's').toLowerCase()]!);
}

/** The shortest exact form: 3600000 → "1h", 90000 → "90s", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}

export interface DurationBounds {
  /** Inclusive; 1 ms unless given, so that "0" is refused where zero makes no sense. */
  minMs?: number;
  /** Inclusive. */
  maxMs: number;
}

/** Why `text` is not an acceptable duration within `bounds`, or undefined when it is. */
export function durationProblem(text: string, { minMs = 1, maxMs }: DurationBounds): string | undefined {
  const ms = parseDuration(text);
  const range = `from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
  if (ms === undefined) return `not a duration: "${text.trim()}" (use ${DURATION_EXAMPLES})`;
  if (ms < minMs || ms > maxMs) return `${formatDuration(ms)} is out of range: use a duration ${range}`;
  return undefined;
}

/** A zod schema for a duration flag or variable: text in, milliseconds out, bounds checked. */
export function durationSchema(bounds: DurationBounds) {
  return z.string().transform((text, ctx) => {
    const problem = durationProblem(text, bounds);
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return parseDuration(text)!;
  });
}
