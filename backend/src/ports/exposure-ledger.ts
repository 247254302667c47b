import type { DeviceNumber } from '../domain/device.js';
import type { ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import type { ExposureState } from '../domain/exposure/exposure-state.js';
import type { ExposureNotification, NotificationEvent } from '../domain/exposure/notification.js';

export interface LedgerChanges {
  /** Candidates that extended their (case, device) front. */
  added: ExposureState[];
  /** Warnings issued or raised by them. */
  events: NotificationEvent[];
}

/**
 * Who was exposed through whom: every device's exposure states per case (their Pareto fronts,
 * see domain/exposure/exposure-state.ts) and the one warning each (case, device) holds. Recording
 * is also how tracing moves on: in the same transaction as a state is added, a `spread` task for it
 * is queued on the tracing outbox (when it can pass exposure on), and a `deliver` task for every
 * warning issued or raised. So a crash never leaves a state whose tracing or warning is lost.
 */
export interface ExposureLedger {
  /** Every state of these devices, all cases; sees every record() that resolved before the call. */
  statesOf(devices: readonly DeviceNumber[]): Promise<ExposureState[]>;
  /**
   * Adds the candidates not dominated by what is stored, per (case, device) atomically, updates
   * warnings by the policy (issued, raised) and queues their tasks. Recording the same candidates
   * again changes nothing.
   */
  record(candidates: readonly ExposureState[], policy: ExposurePolicy, now: Date): Promise<LedgerChanges>;
  notificationsFor(device: DeviceNumber): Promise<ExposureNotification[]>;
  /**
   * Records that the device's user saw its warning `id`; the first acknowledgement is kept.
   * Returns when it was first acknowledged, or undefined when the device holds no such warning.
   */
  acknowledge(device: DeviceNumber, id: string, at: Date): Promise<Date | undefined>;
  /** Every warning held, a page at a time (the analytics job; a scan, not for hot paths). */
  allNotifications(): AsyncIterable<ExposureNotification[]>;
  /** Deletes the device's states and warnings (its queued tasks: TracingOutbox.deleteFor); returns how many warnings. */
  deleteFor(device: DeviceNumber): Promise<number>;
  /** Deletes the states and warnings of every (case, device) whose newest change is older than `before`. */
  purgeOlderThan(before: Date): Promise<number>;
  stats(): Promise<LedgerStats>;
}

export interface LedgerStats {
  notifications: number;
  raised: number;
}
