import type { EraseDeviceDeps } from '../application/erase-device.js';
import type { EraseDedicatedDeviceDeps } from '../application/relay/erase-dedicated-device.js';
import type { BackendServices } from './backend-services.js';

/** What an erasure reaches, from a composition's services: DELETE /v1/me and a dedicated device's erasure share it. */
export function eraseDeviceDeps(s: BackendServices): EraseDeviceDeps {
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

/** … and what a dedicated device's registration adds to it. */
export function eraseDedicatedDeviceDeps(s: BackendServices): EraseDedicatedDeviceDeps {
  return { erase: eraseDeviceDeps(s), registry: s.relay.registry, ownerAlerts: s.relay.ledger };
}
