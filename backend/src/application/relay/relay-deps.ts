import type { DeviceDirectory } from '../../ports/device-directory.js';
import type { DedicatedDeviceRegistry } from '../../ports/dedicated-devices.js';
import type { ContactQueue } from '../../ports/contact-queue.js';
import type { TokenRegistry } from '../../ports/token-registry.js';
import type { RelayKeys } from '../../domain/relay/relay-keys.js';
import type { SightingRules } from '../../domain/contacts/sighting-window.js';
import type { TokenCipher } from '../../domain/tokens/token-cipher.js';
import type { Clock } from '../clock.js';

/** What the relay use cases share. */
export interface RelayDeps {
  registry: DedicatedDeviceRegistry;
  devices: DeviceDirectory;
  queue: ContactQueue;
  cipher: TokenCipher;
  /** The door checks every relayed observation passes, as a phone's upload does. */
  sightingRules: SightingRules;
  keys: RelayKeys;
  clock: Clock;
  /** How long receipts, gaps and counters are kept (RETENTION_DAYS). */
  retentionMs: number;
}

export interface BundleDeps {
  tokenRegistry: TokenRegistry;
  tokenTtlMinutes: number;
}

/** The directory subject of a dedicated device: its tokens are issued to this device. */
export const dedicatedSubject = (deviceId: string) => `dedicated:${deviceId}`;
