import type { Device, DeviceNumber } from '../domain/device.js';
import type { InfectionCase } from '../domain/exposure/infection-case.js';
import type { VerificationCodeRecord } from '../domain/verification-code.js';

export type RedeemOutcome = 'redeemed' | 'unknown' | 'used' | 'expired';

/** Devices, erasures, verification codes and infection cases. */
export interface DeviceDirectory {
  /** The device for this subject, created with a fresh random number on first sight. */
  ensureDevice(subject: string, now: Date): Promise<Device>;
  findBySubject(subject: string): Promise<Device | undefined>;
  /** Removes the device and remembers its number as erased (its tokens stop resolving). */
  eraseDevice(device: Device, now: Date): Promise<void>;
  /** Numbers of devices erased after `since`: their tokens may still be in the air. */
  listErasedSince(since: Date): Promise<DeviceNumber[]>;
  /** Forgets erasures older than `before`: no token of those devices can still resolve. */
  purgeErasedBefore(before: Date): Promise<number>;

  saveVerificationCode(record: VerificationCodeRecord): Promise<void>;
  /** Marks the code used if it is valid now; exactly one concurrent caller can succeed. */
  redeemVerificationCode(codeHash: string, now: Date): Promise<RedeemOutcome>;

  saveCase(infectionCase: InfectionCase): Promise<void>;
  /** Cases whose infectious window has not ended by `now`. */
  listActiveCases(now: Date): Promise<InfectionCase[]>;
  deleteCasesFor(device: DeviceNumber): Promise<number>;
}
