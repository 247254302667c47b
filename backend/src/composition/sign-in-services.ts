import { SignInThrottle } from '../application/sign-in-throttle.js';
import type { Clock } from '../application/clock.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { RateLimitStore } from '../ports/rate-limit-store.js';
import type { RefreshTokenFamilies } from '../ports/refresh-token-families.js';

/** The sign-in safeguards over whichever stores a composition chose, and their retention jobs. */
export function signInServices(config: BackendConfig, clock: Clock, stores: { rateLimits: RateLimitStore; refreshFamilies: RefreshTokenFamilies; audit: AuditLog }) {
  const { limits, allowedCallingCodes, unlimitedAddress, auditRetentionMs } = config.signIn;
  return {
    ...stores,
    signInThrottle: new SignInThrottle(stores.rateLimits, { limits, allowedCallingCodes, unlimitedAddress }, clock),
    purgeSignIn: async () => {
      const now = clock();
      return {
        rateCounters: await stores.rateLimits.purgeExpired(now),
        refreshFamilies: await stores.refreshFamilies.purgeExpired(now),
        auditEntries: await stores.audit.purgeOlderThan(new Date(now.getTime() - auditRetentionMs)),
      };
    },
  };
}
