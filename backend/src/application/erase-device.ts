import type { Device } from '../domain/device.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { DeviceDirectory } from '../ports/device-directory.js';
import type { Identity } from '../ports/identity.js';
import type { Notifier } from '../ports/notifier.js';
import type { TokenRegistry } from '../ports/token-registry.js';
import type { Clock } from './clock.js';
import type { ExposureIndex } from './exposure-index.js';

export interface EraseDeviceDeps {
  tokens: TokenRegistry;
  contacts: ContactStore;
  notifier: Notifier;
  devices: DeviceDirectory;
  identity: Identity;
  index: ExposureIndex;
  clock: Clock;
}

export interface Erased {
  tokens: number;
  contacts: number;
  notifications: number;
}

/**
 * Removes everything about a device. Its number is remembered as erased so that its tokens
 * still in the air, or in batches already queued, no longer resolve.
 */
export async function eraseDevice(deps: EraseDeviceDeps, device: Device): Promise<Erased> {
  await deps.devices.eraseDevice(device, deps.clock());
  deps.index.markErased(device.number);
  const [tokens, contacts, notifications] = await Promise.all([
    deps.tokens.deleteFor(device.number),
    deps.contacts.deleteFor(device.number),
    deps.notifier.deleteFor(device.number),
    deps.devices.deleteCasesFor(device.number),
  ]);
  await deps.identity.deleteUser(device.subject);
  return { tokens, contacts, notifications };
}
