import { MS_PER_DAY } from '../time.js';

/** Analytics count in UTC days and ISO weeks (Monday 00:00 UTC to the next Monday). */
export const MS_PER_WEEK = 7 * MS_PER_DAY;

export function utcDayStart(t: number): number {
  return Math.floor(t / MS_PER_DAY) * MS_PER_DAY;
}

/** Monday 00:00 UTC of the ISO week holding `t`. */
export function isoWeekStart(t: number): number {
  const day = utcDayStart(t);
  const mondayBased = (new Date(day).getUTCDay() + 6) % 7;
  return day - mondayBased * MS_PER_DAY;
}

/** `YYYY-MM-DD` of the UTC day holding `t`. */
export function isoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Start of every UTC day that overlaps [from, until). */
export function daysOverlapping(from: number, until: number): number[] {
  const days: number[] = [];
  for (let d = utcDayStart(from); d < until; d += MS_PER_DAY) days.push(d);
  return days;
}

/** Start of every ISO week that overlaps [from, until). */
export function weeksOverlapping(from: number, until: number): number[] {
  const weeks: number[] = [];
  for (let w = isoWeekStart(from); w < until; w += MS_PER_WEEK) weeks.push(w);
  return weeks;
}
