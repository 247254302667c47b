import { ANALYTICS_FAMILIES, type AnalyticsFamily } from '../../domain/analytics/pseudonym.js';
import type { DeviceNumber } from '../../domain/device.js';
import type { AnalyticsStore } from '../../ports/analytics-store.js';
import type { PseudonymKeys } from '../../ports/pseudonym-keys.js';
import { pseudonymsUnderHeldKeys } from './pseudonymiser.js';

/**
 * Erasure in the analytics store: the device's pseudonym under every key still held (one per index
 * and week; a key is held exactly as long as records made with it exist) finds every record that
 * names it, and they are deleted. Figures already derived are aggregates of at least k people and
 * stay; the next run derives them without the device.
 */
export async function forgetDeviceAnalytics(deps: { analytics: AnalyticsStore; keys: PseudonymKeys }, device: DeviceNumber): Promise<number> {
  const pseudonyms = Object.fromEntries(
    await Promise.all(ANALYTICS_FAMILIES.map(async (family) => [family, await pseudonymsUnderHeldKeys(deps.keys, family, device)] as const)),
  ) as Record<AnalyticsFamily, string[]>;
  return deps.analytics.deleteMentioning(pseudonyms);
}
