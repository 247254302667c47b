import type { PopulationConfig } from './population-config.js';

const SECONDS_PER_DAY = 86_400;

/** Real-time request rates (per second) that a population produces under its time compression. */
export interface TrafficRates {
  encounters: number;
  /** Full batches only; flush-timer batches add a little on top for small populations. */
  uploads: number;
  tokenCalls: number;
  notificationPolls: number;
  infectionReports: number;
}

export function trafficRates(c: PopulationConfig): TrafficRates {
  const activeSeconds = c.activeHoursPerDay * 3_600;
  const encounters = (c.devices * c.contactsPerDevicePerDay * c.timeCompression) / activeSeconds;
  return {
    encounters,
    uploads: encounters / c.batchSize,
    tokenCalls: (c.devices * c.timeCompression) / (c.tokenTtlMinutes * 60 * c.tokensPerCall),
    notificationPolls: (c.devices * c.notificationPollsPerDay * c.timeCompression) / SECONDS_PER_DAY,
    infectionReports: (c.infectionReportsPerDay * c.timeCompression) / SECONDS_PER_DAY,
  };
}

/** The time compression at which `devices` simulated devices upload `uploadsPerSecond` batches. */
export function compressionForUploadRate(
  uploadsPerSecond: number,
  c: Omit<PopulationConfig, 'timeCompression'>,
): number {
  return (uploadsPerSecond * c.batchSize * c.activeHoursPerDay * 3_600) / (c.devices * c.contactsPerDevicePerDay);
}
