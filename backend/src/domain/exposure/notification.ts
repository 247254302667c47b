import type { DeviceNumber } from '../device.js';

/** A warning sent to one device for one case; a device gets at most one per case. */
export interface ExposureNotification {
  id: string;
  caseId: string;
  device: DeviceNumber;
  degree: number;
  probability: number;
  exposedAt: Date;
  issuedAt: Date;
}
