import { MS_PER_MINUTE } from '../time.js';

/**
 * Tokens are valid for windows on one global grid (every device rotates at the same instants),
 * so a token's window tells nothing about when its device signed up.
 */
export interface TokenWindow {
  startMinute: number;
  lengthMinutes: number;
}

export function windowContaining(at: Date, lengthMinutes: number): TokenWindow {
  const minute = Math.floor(at.getTime() / MS_PER_MINUTE);
  return { startMinute: minute - (minute % lengthMinutes), lengthMinutes };
}

/** The window containing `at` and the `count - 1` windows after it. */
export function consecutiveWindows(at: Date, lengthMinutes: number, count: number): TokenWindow[] {
  const first = windowContaining(at, lengthMinutes);
  return Array.from({ length: count }, (_, i) => ({
    startMinute: first.startMinute + i * lengthMinutes,
    lengthMinutes,
  }));
}

export function windowStart(window: TokenWindow): Date {
  return new Date(window.startMinute * MS_PER_MINUTE);
}

export function windowEnd(window: TokenWindow): Date {
  return new Date((window.startMinute + window.lengthMinutes) * MS_PER_MINUTE);
}

/** Whether `at` falls inside the window widened by `graceMs` on both sides. */
export function windowCovers(window: TokenWindow, at: Date, graceMs: number): boolean {
  const t = at.getTime();
  return t >= windowStart(window).getTime() - graceMs && t < windowEnd(window).getTime() + graceMs;
}
