import type { Device, DeviceNumber } from '../domain/device.js';

export type SubjectLookup =
  | { state: 'active'; device: Device }
  /** Erasure began and has not finished: only the erasure itself may be retried. */
  | { state: 'erasing'; device: Device }
  /** Erased: the subject's tokens must not bring the device back. */
  | { state: 'erased' }
  | { state: 'unknown' };

/** Devices by identity subject, and which device numbers were erased. */
export interface DeviceDirectory {
  /** The device for this subject, created with a fresh random number on first sight; refuses an erased or erasing subject. */
  ensureDevice(subject: string, now: Date): Promise<Device>;
  lookup(subject: string): Promise<SubjectLookup>;
  /**
   * First step of an erasure: the number is remembered as erased (its tokens stop resolving, its
   * contacts are no longer stored) while the subject keeps its device, so a failed erasure can be
   * retried. Idempotent.
   */
  beginErasure(device: Device, now: Date): Promise<void>;
  /** Last step: the device is forgotten; the subject stays marked erased until `now + subjectMarkerMs`. */
  completeErasure(device: Device, now: Date, subjectMarkerMs: number): Promise<void>;
  /** Which of these numbers are erased; sees every beginErasure that resolved before the call. */
  erasedAmong(numbers: readonly DeviceNumber[]): Promise<Set<DeviceNumber>>;
  /** Forgets erasure markers older than `before`: no token of those devices can still resolve. */
  purgeErasedBefore(before: Date): Promise<number>;
}

export class SubjectErasedError extends Error {
  constructor() {
    super('this subject was erased');
    this.name = 'SubjectErasedError';
  }
}
