import { DESIGN_BASELINE } from '../../../loadtest/src/capacity/assumptions.js';

/**
 * The design's population, per user (48 M users in the design document, scaled down here): how
 * many observations a user uploads a day, how many of them are the other side of an encounter
 * already reported, and the hours in which they happen. The capacity model holds the numbers;
 * this is what a store of a given size means in users and days, and what those users need.
 */
export interface DesignRates {
  observationsPerUserPerDay: number;
  duplicateFraction: number;
  activeHoursPerDay: number;
}

export const DESIGN_RATES: DesignRates = {
  observationsPerUserPerDay: DESIGN_BASELINE.contactsPerUserPerDay,
  duplicateFraction: DESIGN_BASELINE.duplicateFraction,
  activeHoursPerDay: DESIGN_BASELINE.activeHoursPerDay,
};

/** Contact records one user adds to the store a day: the observations less the duplicates (50). */
export function storedContactsPerUserDay(rates: DesignRates = DESIGN_RATES): number {
  return rates.observationsPerUserPerDay * (1 - rates.duplicateFraction);
}

/** The users whose `days` of contacts make a store of `contacts`. */
export function usersFor(contacts: number, days: number, rates: DesignRates = DESIGN_RATES): number {
  return contacts / (storedContactsPerUserDay(rates) * days);
}

/** The contacts `users` leave in the store over `days` (the retention). */
export function contactsFor(users: number, days: number, rates: DesignRates = DESIGN_RATES): number {
  return users * storedContactsPerUserDay(rates) * days;
}

/** Observations per second the users upload in their active hours: what the consumer must keep up with. */
export function peakObservationsPerSecond(users: number, rates: DesignRates = DESIGN_RATES): number {
  return (users * rates.observationsPerUserPerDay) / (rates.activeHoursPerDay * 3600);
}
