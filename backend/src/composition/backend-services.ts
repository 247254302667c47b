import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../application/clock.js';
import type { ExposureIndex } from '../application/exposure-index.js';
import type { ExposureTracer } from '../application/exposure-tracer.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { ContactQueue } from '../ports/contact-queue.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { DeviceDirectory } from '../ports/device-directory.js';
import type { Identity } from '../ports/identity.js';
import type { BackendMetrics } from '../ports/metrics.js';
import type { Notifier } from '../ports/notifier.js';
import type { TokenRegistry } from '../ports/token-registry.js';

/** Everything a handler may need, built once per process by a composition root. */
export interface BackendServices {
  config: BackendConfig;
  logger: Logger;
  clock: Clock;
  identity: Identity;
  devices: DeviceDirectory;
  tokenRegistry: TokenRegistry;
  cipher: TokenCipher;
  queue: ContactQueue;
  contacts: ContactStore;
  notifier: Notifier;
  exposureIndex: ExposureIndex;
  tracer: ExposureTracer;
  metrics: BackendMetrics;
  /** Cheap probes of each dependency, by name, for the readiness answer; each resolves when it answers. */
  dependencyChecks?: Readonly<Record<string, () => Promise<void>>> | undefined;
  /** The public keys access tokens are signed with, when this process issues them (local identity). */
  jwks?: { keys: object[] } | undefined;
  /** Retention housekeeping beyond what the ports offer (e.g. expired sign-in challenges). */
  purgeExtras?: (() => Promise<Record<string, number>>) | undefined;
  close(): Promise<void>;
}
