import { RateLimitedError } from '../domain/errors.js';
import { DAY_MS, HOUR_MS, retryAfterSeconds, windowAt } from '../domain/sign-in-limits.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { RateLimitStore } from '../ports/rate-limit-store.js';
import { issueVerificationCode, type IssueVerificationCodeDeps } from './issue-verification-code.js';

export interface OfficialCodeQuota {
  perHour: number;
  perDay: number;
}

export interface IssueAuditedVerificationCodeDeps extends IssueVerificationCodeDeps {
  limits: RateLimitStore;
  audit: AuditLog;
  quota: OfficialCodeQuota;
}

/**
 * An official's verification code, within the official's hourly and daily quota, and written to
 * the audit log: who, when, and how many that day. A taken-over official account can therefore
 * mint only a bounded number of codes, and every one is accounted for.
 */
export async function issueAuditedVerificationCode(deps: IssueAuditedVerificationCodeDeps, official: string): Promise<{ code: string; expiresAt: Date }> {
  const now = deps.clock();
  await take(deps, `vcode:${official}`, 'verification_codes_per_official_hour', deps.quota.perHour, HOUR_MS, now);
  const countToday = await take(deps, `vcode:${official}`, 'verification_codes_per_official_day', deps.quota.perDay, DAY_MS, now);
  const issued = await issueVerificationCode(deps, official);
  await deps.audit.append({ actor: official, action: 'verification_code_issued', at: now, countToday });
  return issued;
}

async function take(deps: IssueAuditedVerificationCodeDeps, prefix: string, name: string, limit: number, windowMs: number, now: Date): Promise<number> {
  const window = windowAt(now, windowMs);
  const { allowed, count } = await deps.limits.take(`${prefix}:${name}:${window.index}`, limit, window.endsAt, now);
  if (!allowed) throw new RateLimitedError(name, retryAfterSeconds(window.endsAt.getTime() - now.getTime()));
  return count;
}
