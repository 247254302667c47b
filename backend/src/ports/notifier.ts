import type { DeviceNumber } from '../domain/device.js';
import type { ExposureNotification } from '../domain/exposure/notification.js';

/** Delivers exposure notifications and keeps them for the device to read. */
export interface Notifier {
  /** Delivers those not yet sent for their (case, device); returns the ones that were new. */
  deliver(notifications: readonly ExposureNotification[]): Promise<ExposureNotification[]>;
  listFor(device: DeviceNumber): Promise<ExposureNotification[]>;
  /** Notifications of degree below `maxDegree` issued after `since`: devices that can pass exposure on. */
  listSpreading(since: Date, maxDegree: number): Promise<ExposureNotification[]>;
  notifiedDevices(caseId: string): Promise<DeviceNumber[]>;
  deleteFor(device: DeviceNumber): Promise<number>;
  purgeOlderThan(before: Date): Promise<number>;
}
