import { BlockList, isIPv4 } from 'node:net';
import { FAILURE_BACKOFF, HOUR_MS, SMS_PER_NUMBER, type SignInLimits } from '../domain/sign-in-limits.js';

export interface SignInConfig {
  limits: SignInLimits;
  /** Calling codes SMS may go to; `any` (the default on the embedded stack) allows every country. */
  allowedCallingCodes: readonly string[] | 'any';
  /** SIGN_IN_UNLIMITED_ADDRESSES: exempt from the per-address limits (never from the per-number ones). */
  unlimitedAddress: (address: string) => boolean;
  refreshTokenTtlMs: number;
  officialSessionMs: number;
  officialCodesPerHour: number;
  officialCodesPerDay: number;
  officialRoleCacheMs: number;
  auditRetentionMs: number;
}

interface SignInEnv {
  REFRESH_TOKEN_TTL_DAYS: number;
  OFFICIAL_SESSION_HOURS: number;
  SIGN_IN_SMS_PER_ADDRESS_PER_HOUR: number;
  SIGN_IN_VERIFY_PER_ADDRESS_PER_HOUR: number;
  SIGN_IN_UNLIMITED_ADDRESSES: string[];
  SMS_BUDGET_PER_HOUR: number;
  SMS_ALLOWED_CALLING_CODES: readonly string[] | 'any' | undefined;
  VERIFICATION_CODES_PER_OFFICIAL_PER_HOUR: number;
  VERIFICATION_CODES_PER_OFFICIAL_PER_DAY: number;
  OFFICIAL_ROLE_CACHE_SECONDS: number;
  AUDIT_RETENTION_DAYS: number;
}

/**
 * The whole deployment's SMS per hour when SMS_BUDGET_PER_HOUR is unset. Where SMS are sent it caps
 * the bill and the numbers an attacker can try per hour (docs/AUTH.md). Where codes only go to the
 * log (the embedded stack, SMS_SENDER=log) nothing is billed and the per-number limits still bound
 * guessing, so it only has to stay above the load tool's largest population (80,000 fictional
 * numbers), signed in again within the hour.
 */
export const SENT_SMS_BUDGET_PER_HOUR = 20_000;
export const LOGGED_SMS_BUDGET_PER_HOUR = 1_000_000;

export function signInLimitsOf(e: SignInEnv): SignInConfig {
  return {
    limits: {
      smsPerNumber: SMS_PER_NUMBER,
      smsPerAddress: { name: 'sms_per_address_hour', limit: e.SIGN_IN_SMS_PER_ADDRESS_PER_HOUR, windowMs: HOUR_MS },
      verifyPerAddress: { name: 'verify_per_address_hour', limit: e.SIGN_IN_VERIFY_PER_ADDRESS_PER_HOUR, windowMs: HOUR_MS },
      smsBudget: { name: 'sms_budget_hour', limit: e.SMS_BUDGET_PER_HOUR, windowMs: HOUR_MS },
      backoff: FAILURE_BACKOFF,
    },
    allowedCallingCodes: e.SMS_ALLOWED_CALLING_CODES ?? 'any',
    unlimitedAddress: addressMatcher(e.SIGN_IN_UNLIMITED_ADDRESSES),
    refreshTokenTtlMs: e.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
    officialSessionMs: e.OFFICIAL_SESSION_HOURS * HOUR_MS,
    officialCodesPerHour: e.VERIFICATION_CODES_PER_OFFICIAL_PER_HOUR,
    officialCodesPerDay: e.VERIFICATION_CODES_PER_OFFICIAL_PER_DAY,
    officialRoleCacheMs: e.OFFICIAL_ROLE_CACHE_SECONDS * 1000,
    auditRetentionMs: e.AUDIT_RETENTION_DAYS * 86_400_000,
  };
}

/** A predicate over client addresses; IPv4-mapped IPv6 (::ffff:127.0.0.1) counts as its IPv4 address. */
function addressMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const plain = mapped ? mapped[1]! : address;
    try {
      return list.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
  };
}
