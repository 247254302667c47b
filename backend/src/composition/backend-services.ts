import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../application/clock.js';
import type { SignInThrottle } from '../application/sign-in-throttle.js';
import type { AnalyticsStore } from '../ports/analytics-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { PseudonymKeys } from '../ports/pseudonym-keys.js';
import type { RateLimitStore } from '../ports/rate-limit-store.js';
import type { RefreshTokenFamilies } from '../ports/refresh-token-families.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { ContactQueue } from '../ports/contact-queue.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { DeadLetters } from '../ports/dead-letters.js';
import type { DeviceDirectory } from '../ports/device-directory.js';
import type { ExposureLedger } from '../ports/exposure-ledger.js';
import type { Identity } from '../ports/identity.js';
import type { InfectionReports } from '../ports/infection-reports.js';
import type { BackendMetrics } from '../ports/metrics.js';
import type { TokenFlags } from '../ports/token-flags.js';
import type { TokenRegistry } from '../ports/token-registry.js';
import type { TracingOutbox } from '../ports/tracing-outbox.js';
import type { WarningChannel } from '../ports/warning-channel.js';
import type { RelayServices } from './relay-services.js';

/** Everything a handler may need, built once per process by a composition root. */
export interface BackendServices {
  config: BackendConfig;
  logger: Logger;
  clock: Clock;
  identity: Identity;
  /** Counters of every rate limit; the sign-in throttle and the officials' quota use them. */
  rateLimits: RateLimitStore;
  signInThrottle: SignInThrottle;
  refreshFamilies: RefreshTokenFamilies;
  audit: AuditLog;
  devices: DeviceDirectory;
  tokenRegistry: TokenRegistry;
  cipher: TokenCipher;
  queue: ContactQueue;
  contacts: ContactStore;
  ledger: ExposureLedger;
  reports: InfectionReports;
  outbox: TracingOutbox;
  channel: WarningChannel;
  deadLetters: DeadLetters;
  tokenFlags: TokenFlags;
  relay: RelayServices;
  /** The pseudonymous analytics records and figures, apart from the operational stores. */
  analytics: AnalyticsStore;
  /** The keys of the analytics pseudonyms, kept in the operational store. */
  pseudonymKeys: PseudonymKeys;
  metrics: BackendMetrics;
  /** Cheap probes of each dependency, by name, for the readiness answer; each resolves when it answers. */
  dependencyChecks?: Readonly<Record<string, () => Promise<void>>> | undefined;
  /** The public keys access tokens are signed with, when this process issues them (local identity). */
  jwks?: { keys: object[] } | undefined;
  /** Retention housekeeping beyond what the ports offer (e.g. expired sign-in challenges). */
  purgeExtras?: (() => Promise<Record<string, number>>) | undefined;
  close(): Promise<void>;
}

/** A handler's share of the services: the ports it names, with the configuration, logger and clock every handler has. */
export type ServicesOf<K extends keyof BackendServices = never> = Pick<BackendServices, K | 'config' | 'logger' | 'clock'>;

/** A caller that shows a device's access token: the token checked (nothing else of the identity provider), the device looked up. */
export interface DeviceCaller {
  identity: Pick<Identity, 'verifyAccessToken'>;
  devices: DeviceDirectory;
}
