import type { AnalyticsConfig } from '../../config/analytics-config.js';
import type { ExposurePolicy } from '../../domain/exposure/exposure-policy.js';
import type { AnalyticsStore } from '../../ports/analytics-store.js';
import type { ContactStore } from '../../ports/contact-store.js';
import type { DeviceDirectory } from '../../ports/device-directory.js';
import type { ExposureLedger } from '../../ports/exposure-ledger.js';
import type { InfectionReports } from '../../ports/infection-reports.js';
import type { PseudonymKeys } from '../../ports/pseudonym-keys.js';
import type { Clock } from '../clock.js';

/** What the analytics job reads (the operational stores), writes (the analytics store) and how. */
export interface AnalyticsJobDeps {
  contacts: ContactStore;
  ledger: ExposureLedger;
  reports: InfectionReports;
  devices: DeviceDirectory;
  analytics: AnalyticsStore;
  keys: PseudonymKeys;
  config: AnalyticsConfig;
  exposure: ExposurePolicy;
  clock: Clock;
  /** Told as each step finishes, for a progress bar. */
  progress?: ((event: AnalyticsProgress) => void) | undefined;
}

export interface AnalyticsProgress {
  step: string;
  done: number;
  total: number;
}

/** How many devices one contactsOf or erasedAmong call asks about. */
export const DEVICE_CHUNK = 200;

export function chunks<T>(items: readonly T[], size = DEVICE_CHUNK): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Appends to the map's list for `key`, creating it. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
