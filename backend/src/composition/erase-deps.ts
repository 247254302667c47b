import type { EraseDeviceDeps } from '../application/erase-device.js';
import type { EraseDedicatedDeviceDeps } from '../application/relay/erase-dedicated-device.js';
import type { ServicesOf } from './backend-services.js';
import type { RelayServices } from './relay-services.js';

/** What a function that erases a device is built with. */
export type ErasureServices = ServicesOf<'tokenRegistry' | 'contacts' | 'ledger' | 'reports' | 'outbox' | 'tokenFlags' | 'analytics' | 'pseudonymKeys' | 'queue' | 'devices' | 'identity' | 'refreshFamilies' | 'cipher'>;

/** What an erasure reaches, from a composition's services: DELETE /v1/me and a dedicated device's erasure share it. */
export function eraseDeviceDeps(s: ErasureServices): EraseDeviceDeps {
  return {
    tokens: s.tokenRegistry,
    contacts: s.contacts,
    ledger: s.ledger,
    reports: s.reports,
    outbox: s.outbox,
    tokenFlags: s.tokenFlags,
    analytics: { store: s.analytics, keys: s.pseudonymKeys },
    queue: s.queue,
    devices: s.devices,
    identity: s.identity,
    refreshFamilies: s.refreshFamilies,
    cipher: s.cipher,
    subjectMarkerMs: s.config.retention.erasedSubjectsMs,
    clock: s.clock,
  };
}

/** What a function that erases a dedicated device is built with: a phone's erasure, and the device's registration records. */
export type DedicatedErasureServices = ErasureServices & { relay: Pick<RelayServices, 'registry' | 'ledger'> };

/** … and what a dedicated device's registration adds to it. */
export function eraseDedicatedDeviceDeps(s: DedicatedErasureServices): EraseDedicatedDeviceDeps {
  return { erase: eraseDeviceDeps(s), registry: s.relay.registry, ownerAlerts: s.relay.ledger };
}
