/** Axis ranges and tick values for the report's charts: 1-2-5 steps, on linear and log axes. */

export interface Axis {
  min: number;
  max: number;
  ticks: number[];
}

const STEPS = [1, 2, 5];

/** The 1-2-5 value nearest above (or at) `v`, for v > 0. */
function step125Ceil(v: number): number {
  const decade = 10 ** Math.floor(Math.log10(v));
  for (const s of [...STEPS, 10]) if (s * decade >= v * (1 - 1e-9)) return s * decade;
  return 10 * decade;
}

/** The 1-2-5 value nearest below (or at) `v`, for v > 0. */
function step125Floor(v: number): number {
  const decade = 10 ** Math.floor(Math.log10(v));
  for (const s of [5, 2, 1]) if (s * decade <= v * (1 + 1e-9)) return s * decade;
  return decade;
}

/**
 * A log axis from the 1-2-5 value at or below `min` to the one at or above `max`, with ticks at every
 * 1, 2 and 5 of each decade; over more than three decades, at the powers of ten only (plus the ends).
 */
export function logAxis(dataMin: number, dataMax: number): Axis {
  const min = step125Floor(dataMin);
  let max = step125Ceil(dataMax);
  if (max <= min) max = step125Ceil(min * 1.5);
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(min)); 10 ** decade <= max * (1 + 1e-9); decade++) {
    for (const s of STEPS) {
      const v = round(s * 10 ** decade);
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(v);
    }
  }
  if (Math.log10(max / min) <= 3) return { min, max, ticks };
  const sparse = ticks.filter((v, i) => i === 0 || i === ticks.length - 1 || Number.isInteger(Math.log10(v)));
  return { min, max, ticks: sparse };
}

/**
 * A linear axis from 0 (or `dataMin` when it is negative) to a multiple of a 1-2-5 step at or above
 * `dataMax`, with about `target` intervals; with `integer`, the step is a whole number (counts of things).
 */
export function linearAxis(dataMin: number, dataMax: number, options: { integer?: boolean; target?: number; fromZero?: boolean } = {}): Axis {
  const lo = options.fromZero === false ? dataMin : Math.min(0, dataMin);
  const hi = dataMax > lo ? dataMax : lo + 1;
  const target = options.target ?? 5;
  const rough = (hi - lo) / target;
  const intervals = (step: number) => Math.ceil(hi / step - 1e-9) - Math.floor(lo / step + 1e-9);
  // Of the 1-2-5 steps either side of the rough one, the one whose tick count is nearest the target.
  const candidates = [step125Floor(rough), step125Ceil(rough)].map((step) => (options.integer ? Math.max(1, Math.round(step)) : step));
  const step = candidates.reduce((best, c) => (Math.abs(intervals(c) - target) < Math.abs(intervals(best) - target) ? c : best));
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step * 1e-9; v += step) ticks.push(round(v));
  return { min, max, ticks };
}

/** Removes floating-point noise such as 0.30000000000000004. */
function round(v: number): number {
  return Number(v.toPrecision(12));
}

/** "0.5", "2", "20", "1.5k", "20k", "2M": short labels that keep 1-2-5 steps recognisable. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1_000_000) return `${round(v / 1_000_000)}M`;
  if (a >= 1_000) return `${round(v / 1_000)}k`;
  return String(round(v));
}
