import { PhoneNumberNotSupportedError, RateLimitedError } from '../domain/errors.js';
import {
  backoffDelayMs,
  callingCodeAllowed,
  retryAfterSeconds,
  windowAt,
  type SignInLimits,
  type WindowLimit,
} from '../domain/sign-in-limits.js';
import type { RateLimitStore } from '../ports/rate-limit-store.js';
import type { Clock } from './clock.js';

export interface SignInThrottleOptions {
  limits: SignInLimits;
  /** Calling codes SMS may go to, or any. */
  allowedCallingCodes: readonly string[] | 'any';
  /** Client addresses exempt from the per-address limits (loopback, for local load tools). */
  unlimitedAddress: (address: string) => boolean;
}

/**
 * Guards SMS sign-in against guessing and SMS pumping: per number (in every configuration), per
 * client address, a global SMS budget, an allow-list of calling codes and a growing wait after
 * wrong codes. Numbers are known here only by their keyed hash (`phoneKey`).
 */
export class SignInThrottle {
  constructor(
    private readonly store: RateLimitStore,
    private readonly options: SignInThrottleOptions,
    private readonly clock: Clock,
  ) {}

  /** Before an SMS goes out; throws RateLimitedError or PhoneNumberNotSupportedError. */
  async beforeSms(phoneNumber: string, phoneKey: string, address: string): Promise<void> {
    const { limits } = this.options;
    if (!callingCodeAllowed(phoneNumber, this.options.allowedCallingCodes)) {
      throw new PhoneNumberNotSupportedError('Sign-in codes are not sent to numbers of this country.', { allowedCallingCodes: this.options.allowedCallingCodes });
    }
    if (!this.options.unlimitedAddress(address)) await this.take(`sms:a:${address}`, limits.smsPerAddress);
    for (const rule of limits.smsPerNumber) await this.take(`sms:n:${phoneKey}`, rule);
    await this.take('sms:budget', limits.smsBudget);
  }

  /** Before a code is checked; throws RateLimitedError while the number must wait. */
  async beforeVerify(phoneKey: string, address: string): Promise<void> {
    const { limits } = this.options;
    if (!this.options.unlimitedAddress(address)) await this.take(`verify:a:${address}`, limits.verifyPerAddress);
    const waitMs = await this.backoffRemainingMs(phoneKey);
    if (waitMs > 0) throw new RateLimitedError('wrong_code_backoff', retryAfterSeconds(waitMs));
  }

  /** Seconds until the number may answer again (at least 1): for a 429 that is not the throttle's own. */
  async retryAfterSeconds(phoneKey: string): Promise<number> {
    return retryAfterSeconds(await this.backoffRemainingMs(phoneKey));
  }

  /** Counts a wrong code; returns the seconds the number must now wait before its next answer. */
  async failed(phoneKey: string): Promise<number> {
    const now = this.clock();
    const { backoff } = this.options.limits;
    const { count } = await this.store.take(this.failureKey(phoneKey, now), Number.MAX_SAFE_INTEGER, windowAt(now, backoff.windowMs).endsAt, now);
    const delay = backoffDelayMs(count, backoff);
    return delay === 0 ? 0 : retryAfterSeconds(delay);
  }

  private async backoffRemainingMs(phoneKey: string): Promise<number> {
    const now = this.clock();
    const failures = await this.store.peek(this.failureKey(phoneKey, now), now);
    if (!failures) return 0;
    return failures.lastAt.getTime() + backoffDelayMs(failures.count, this.options.limits.backoff) - now.getTime();
  }

  private failureKey(phoneKey: string, now: Date): string {
    return `fail:n:${phoneKey}:${windowAt(now, this.options.limits.backoff.windowMs).index}`;
  }

  private async take(prefix: string, rule: WindowLimit): Promise<void> {
    const now = this.clock();
    const window = windowAt(now, rule.windowMs);
    const { allowed } = await this.store.take(`${prefix}:${rule.name}:${window.index}`, rule.limit, window.endsAt, now);
    if (!allowed) throw new RateLimitedError(rule.name, retryAfterSeconds(window.endsAt.getTime() - now.getTime()));
  }
}
