import type { DeviceNumber } from '../domain/device.js';
import type { ExposureState } from '../domain/exposure/exposure-state.js';
import type { InfectionCase } from '../domain/exposure/infection-case.js';
import type { VerificationCodeRecord } from '../domain/verification-code.js';

export type ReportOutcome =
  | { outcome: 'created'; case: InfectionCase }
  /** The same device redeemed this code before: the case it created then (a retried report). */
  | { outcome: 'existing'; case: InfectionCase }
  | { outcome: 'unknown' | 'used' | 'expired' };

/** Officials' one-time verification codes and the infection cases redeemed with them. */
export interface InfectionReports {
  saveVerificationCode(record: VerificationCodeRecord): Promise<void>;
  /**
   * In one transaction: redeems the code for `device`, saves the case, and records its index state
   * with a `spread` task on the tracing outbox. Either all of it happens or none of it, so a crash
   * leaves no case or a complete one that tracing finishes. A code redeemed by another device is
   * `used`; redeemed by this device, the retry gets the case it created.
   */
  report(codeHash: string, infectionCase: InfectionCase, indexState: ExposureState, now: Date): Promise<ReportOutcome>;
  /** Cases reported in [from, until) (the analytics job). */
  reportedBetween(from: Date, until: Date): Promise<InfectionCase[]>;
  /** Deletes the device's cases and scrubs it from the codes it redeemed; returns how many cases. */
  deleteFor(device: DeviceNumber): Promise<number>;
  /** Deletes cases reported before `casesBefore` and codes that expired before `codesBefore`. */
  purge(casesBefore: Date, codesBefore: Date): Promise<{ cases: number; verificationCodes: number }>;
  stats(): Promise<{ cases: number }>;
}
