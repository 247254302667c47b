export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export function minutesToMs(minutes: number): number {
  return minutes * MS_PER_MINUTE;
}

export function daysToMs(days: number): number {
  return days * MS_PER_DAY;
}
