/** The behaviour of the simulated population. Defaults follow the design's assumptions. */
export interface PopulationConfig {
  /** Simulated devices, each signed up and holding real tokens. */
  devices: number;
  /** Observations each device uploads per simulated day (~100 in the design). */
  contactsPerDevicePerDay: number;
  /** Share of observations that re-encounter someone already seen that day (~50% in the design). */
  duplicateFraction: number;
  /**
   * Hours in which contacts happen. Only this part of the day is simulated for contacts: encounters run
   * at the peak (active-hours) rate throughout, and "a day" for duplicates lasts this long.
   */
  activeHoursPerDay: number;
  /** People per household, including the device owner. */
  householdSize: number;
  /** People per workplace, including the device owner. */
  workplaceSize: number;
  /** Of first-time contacts, the share drawn from the household and from the workplace; the rest are passers-by. */
  householdShare: number;
  workplaceShare: number;
  /**
   * Observations per upload; a partial batch is sent when the flush timer fires. At ~100 contacts a day a
   * batch of 50 fills about every 6 active hours, so a timer much shorter than that multiplies uploads.
   */
  batchSize: number;
  flushAfterMinutes: number;
  tokenTtlMinutes: number;
  /** Token windows fetched per POST /v1/tokens (1–8). */
  tokensPerCall: number;
  notificationPollsPerDay: number;
  /** Infection reports per simulated day across the whole simulated population. */
  infectionReportsPerDay: number;
  /** Simulated seconds per real second. */
  timeCompression: number;
}

export const DEFAULT_POPULATION: Omit<PopulationConfig, 'devices' | 'timeCompression'> = {
  contactsPerDevicePerDay: 100,
  duplicateFraction: 0.5,
  activeHoursPerDay: 12,
  householdSize: 3,
  workplaceSize: 12,
  householdShare: 0.2,
  workplaceShare: 0.4,
  batchSize: 50,
  flushAfterMinutes: 480,
  tokenTtlMinutes: 180,
  tokensPerCall: 1,
  notificationPollsPerDay: 4,
  infectionReportsPerDay: 1,
};
