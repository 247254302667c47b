/** Decides, once and durably, whether an owner's SMS may go out. */
export interface OwnerAlertClaim {
  /** One alert per key: the notification's (case, device). */
  alertKey: string;
  /** A keyed hash of the owner's number: the rate limit counts per number, across devices. */
  phoneKey: string;
  at: Date;
  keepUntil: Date;
}

export interface AlertRateLimit {
  max: number;
  windowMs: number;
}

export type ClaimOutcome = 'send' | 'duplicate' | 'rate_limited';

export interface OwnerAlertLedger {
  /**
   * Atomically: 'duplicate' if the key was claimed before (sent or rate-limited); else 'rate_limited'
   * or 'send', recorded either way. A claim whose SMS failed may be claimed again: the retry sends it.
   */
  claim(claim: OwnerAlertClaim, limit: AlertRateLimit): Promise<ClaimOutcome>;
  /** The SMS could not be sent: counted, so that operators see it, and open to a new claim. */
  markFailed(alertKey: string): Promise<void>;
  /**
   * Erasure: every alert of this device (their keys end in `:<device number>`). A number's rate
   * window is kept until it closes: it counts SMS to a person, not a device's, and must still hold
   * for the owner's other devices.
   */
  forgetDevice(deviceNumber: number): Promise<number>;
  stats(): Promise<{ sent: number; rateLimited: number; failed: number }>;
  purgeExpired(now: Date): Promise<number>;
}
