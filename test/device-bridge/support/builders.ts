import { encodeAdvert } from '../../../device-bridge/src/ble/advert-codec.js';
import { DEFAULT_SERVICE_UUID } from '../../../device-bridge/src/ble/advert-layout.js';
import type { WireObservation } from '../../../device-bridge/src/ports/outbox-store.js';

/** Deterministic 16-byte token number `n`. */
export function tokenBytes(n: number): Buffer {
  const b = Buffer.alloc(16, 0x5a);
  b.writeUInt32BE(n >>> 0, 12);
  return b;
}

export function advertFor(n: number, serviceUuid = DEFAULT_SERVICE_UUID): Buffer {
  return encodeAdvert({ serviceUuid, token: tokenBytes(n), txPower: 0, counter: n & 0xffff });
}

export function aWireObservation(n: number, overrides: Partial<WireObservation> = {}): WireObservation {
  return {
    token: tokenBytes(n).toString('base64url'),
    firstSeen: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    lastSeen: new Date(1_700_000_060_000 + n * 1000).toISOString(),
    rssi: -60,
    ...overrides,
  };
}

export function observations(count: number, from = 0): WireObservation[] {
  return Array.from({ length: count }, (_, i) => aWireObservation(from + i));
}
