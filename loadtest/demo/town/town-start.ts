import { MINUTE_MS } from './town-model.js';

const DAY_MS = 1440 * MINUTE_MS;

/** The embedded town's first midnight: a fixed Monday, so that a seed gives the same days on any date. */
export const FIXED_TOWN_START = Date.UTC(2026, 2, 2);

/**
 * The town's first midnight for a backend that ages data on the wall clock: the next Monday after
 * `now`. DynamoDB (and DynamoDB Local, within seconds) deletes an item once its TTL is past the wall
 * clock, and the backend sets TTLs from the town's clock: a town in the past would lose its sign-in
 * challenges, cases and warnings as it ran. A town ahead of the wall clock keeps them, and since it
 * runs faster than the wall clock it stays ahead.
 */
export function townStartAfter(now: number): number {
  const midnight = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  const daysToMonday = (8 - new Date(midnight).getUTCDay()) % 7;
  return midnight + daysToMonday * DAY_MS;
}
