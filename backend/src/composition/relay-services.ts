import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../application/clock.js';
import { OwnerAlerts } from '../application/relay/owner-alerts.js';
import type { BundleDeps, RelayDeps } from '../application/relay/relay-deps.js';
import type { BackendConfig } from '../config/backend-config.js';
import type { BackendServices } from './backend-services.js';
import type { RelayKeys } from '../domain/relay/relay-keys.js';
import type { DedicatedDeviceRegistry } from '../ports/dedicated-devices.js';
import type { OwnerAlertLedger } from '../ports/owner-alert-ledger.js';
import type { SmsSender } from '../ports/sms-sender.js';

/** Dedicated devices, relaying and owners' SMS warnings, over whichever adapters a composition chose. */
export interface RelayServices {
  registry: DedicatedDeviceRegistry;
  ledger: OwnerAlertLedger;
  keys: RelayKeys;
  ownerAlerts: OwnerAlerts;
}

export function relayServices(
  config: Pick<BackendConfig, 'relay' | 'retention'>,
  clock: Clock,
  logger: Logger,
  parts: { registry: DedicatedDeviceRegistry; ledger: OwnerAlertLedger; keys: RelayKeys; sms: SmsSender },
): RelayServices {
  const ownerAlerts = new OwnerAlerts(parts.registry, parts.ledger, parts.sms, parts.keys, clock, {
    limit: config.relay.ownerSmsLimit,
    retentionMs: config.retention.contactsMs,
    onEvent: (e) => (e.outcome === 'failed' ? logger.error('owner SMS failed', e) : logger.info('owner SMS', e)),
  });
  return { ...parts, ownerAlerts };
}

/** Retention for the relay stores, for the compositions' purgeExtras. */
export async function purgeRelayData(relay: RelayServices, now: Date): Promise<Record<string, number>> {
  return { relayRecords: await relay.registry.purgeExpired(now), ownerAlerts: await relay.ledger.purgeExpired(now) };
}

/** What the relay use cases need, from a composition's services. */
export function relayDeps(s: Pick<BackendServices, 'relay' | 'devices' | 'queue' | 'cipher' | 'config' | 'clock'>): RelayDeps {
  return {
    registry: s.relay.registry,
    devices: s.devices,
    queue: s.queue,
    cipher: s.cipher,
    sightingRules: s.config.sightingRules,
    keys: s.relay.keys,
    clock: s.clock,
    retentionMs: s.config.retention.contactsMs,
  };
}

/** … and to issue dedicated devices their token bundles. */
export function bundleDeps(s: Pick<BackendServices, 'relay' | 'devices' | 'queue' | 'cipher' | 'config' | 'clock' | 'tokenRegistry'>): RelayDeps & BundleDeps {
  return { ...relayDeps(s), tokenRegistry: s.tokenRegistry, tokenTtlMinutes: s.config.tokenTtlMinutes };
}
