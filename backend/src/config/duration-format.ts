/**
 * Durations as every command line of the project writes them: a number with an optional unit,
 * `250ms`, `90s`, `15m`, `1.5h`, `2d`, `2w`; a bare number means seconds (`900`). One parser for the
 * bridge, the load tool and anything else, so "5m" means the same everywhere. `duration.ts`
 * re-exports this with a zod schema; this file imports nothing, because the bridge's core uses it
 * and loading zod alone adds ~12 MB to a bridge's resident memory (npm run bench:bridge).
 */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/i;

/** Milliseconds (rounded to whole ones), or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const unit = (match[2]?.toLowerCase() ?? 's') as keyof typeof UNIT_MS;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

/** `900000` → `15m`; the largest unit that divides the value. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', UNIT_MS.d], ['h', UNIT_MS.h], ['m', UNIT_MS.m], ['s', UNIT_MS.s]] as const) {
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export interface DurationBounds {
  /** Smallest accepted value in ms (> 0): zero and anything shorter is refused. */
  min: number;
  /** Largest accepted value in ms. */
  max: number;
  /** When set, `0` is accepted too and means this (e.g. "off"). */
  zeroMeans?: string;
}

export type DurationCheck = { ok: true; ms: number } | { ok: false; message: string };

/** Parses and bounds-checks one duration; the message says what was wrong and what is accepted. */
export function checkDuration(text: string, bounds: DurationBounds): DurationCheck {
  const ms = parseDuration(text);
  const range = `${formatDuration(bounds.min)} to ${formatDuration(bounds.max)}${bounds.zeroMeans ? `, or 0 for ${bounds.zeroMeans}` : ''}`;
  if (ms === undefined) return { ok: false, message: `not a duration: "${text}" (use e.g. 250ms, 90s, 15m, 1h; a bare number is seconds)` };
  if (ms === 0 && bounds.zeroMeans !== undefined) return { ok: true, ms };
  if (ms < bounds.min || ms > bounds.max) return { ok: false, message: `must be ${range}, got "${text}"` };
  return { ok: true, ms };
}
