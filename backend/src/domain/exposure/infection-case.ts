import type { DeviceNumber } from '../device.js';

/** A verified positive test: the start of one chain of notifications. */
export interface InfectionCase {
  id: string;
  device: DeviceNumber;
  reportedAt: Date;
  symptomOnset?: Date | undefined;
  infectiousFrom: Date;
  infectiousUntil: Date;
}
