import type { Clock } from '../application/clock.js';
import { ExposureIndex } from '../application/exposure-index.js';
import { ExposureTracer } from '../application/exposure-tracer.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { DeviceDirectory } from '../ports/device-directory.js';
import type { Notifier } from '../ports/notifier.js';

/** The exposure index and tracer over whichever adapters a composition chose. */
export function exposureTracking(
  config: Pick<BackendConfig, 'exposurePolicy' | 'setsRefreshMs'>,
  clock: Clock,
  ports: { devices: DeviceDirectory; notifier: Notifier; contacts: ContactStore },
): { exposureIndex: ExposureIndex; tracer: ExposureTracer } {
  const exposureIndex = new ExposureIndex(ports.devices, ports.notifier, config.exposurePolicy, config.setsRefreshMs, clock);
  return { exposureIndex, tracer: new ExposureTracer(ports.contacts, ports.notifier, exposureIndex, config.exposurePolicy, clock) };
}

/** How long an SMS sign-in code lives and how many wrong answers lock it, for every identity provider. */
export const SIGN_IN_CHALLENGE_POLICY = { challengeTtlSeconds: 300, maxFailedAttempts: 5 } as const;
