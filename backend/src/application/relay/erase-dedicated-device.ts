import type { DedicatedDeviceRegistry } from '../../ports/dedicated-devices.js';
import type { OwnerAlertLedger } from '../../ports/owner-alert-ledger.js';
import { eraseDevice, type EraseDeviceDeps, type Erased } from '../erase-device.js';
import { checkDeviceSigned, DedicatedDeviceUnknownError } from './device-signed-request.js';
import { dedicatedSubject } from './relay-deps.js';

export interface EraseDedicatedDeviceDeps {
  erase: EraseDeviceDeps;
  registry: DedicatedDeviceRegistry;
  ownerAlerts: OwnerAlertLedger;
}

export interface ErasedDedicated extends Erased {
  /** The registration (key, sealed owner number), its receipts and gaps. */
  relayRecords: number;
  ownerAlerts: number;
}

/**
 * Erases a dedicated device at its owner's request, signed with the device's key (the credential
 * its provisioning left with the owner). Its directory device goes the way a phone's goes on
 * DELETE /v1/me (tokens, contacts, warnings, cases, queued batches, analytics, the directory
 * entry); then its owner alerts; its registration last, so that until then a failed erasure can be
 * retried with the same key. Once it is gone the id is unknown (422 device_unknown).
 */
export async function eraseDedicatedDevice(
  deps: EraseDedicatedDeviceDeps,
  request: { deviceId: string; requestedAt: Date; signature: Buffer },
): Promise<ErasedDedicated> {
  const dedicated = await deps.registry.find(request.deviceId);
  if (!dedicated) throw new DedicatedDeviceUnknownError('No dedicated device is registered under this id (or it was erased).');
  checkDeviceSigned(dedicated, { purpose: 'erase', requestedAt: request.requestedAt, signature: request.signature }, deps.erase.clock());
  const device = { subject: dedicatedSubject(dedicated.deviceId), number: dedicated.deviceNumber, createdAt: dedicated.registeredAt };
  const erased = await eraseDevice(deps.erase, device);
  const ownerAlerts = await deps.ownerAlerts.forgetDevice(dedicated.deviceNumber);
  const relayRecords = await deps.registry.forget(dedicated.deviceId);
  return { ...erased, ownerAlerts, relayRecords };
}
