import { ed25519PublicKey, verifyEd25519 } from '../../domain/relay/relay-signatures.js';
import { DomainError } from '../../domain/errors.js';
import type { DedicatedDevice } from '../../ports/dedicated-devices.js';

export class DedicatedDeviceUnknownError extends DomainError {
  readonly code = 'device_unknown';
}

export class DeviceSignatureError extends DomainError {
  readonly code = 'device_signature_invalid';
}

/** What a dedicated device's key may ask for: a new token bundle, or the erasure of everything about it. */
export type DeviceRequestPurpose = 'renew' | 'erase';

const PREFIX: Record<DeviceRequestPurpose, string> = { renew: 'PTRN', erase: 'PTRE' };

/** How far the request's time may be from ours: a captured request is worthless after that. */
const FRESH_MS = 5 * 60_000;

/** The bytes a device signs for a request: "<PTRN|PTRE>:<deviceId>:<requestedAt ms>". */
export function deviceRequestMessage(purpose: DeviceRequestPurpose, deviceId: string, requestedAt: Date): Buffer {
  return Buffer.from(`${PREFIX[purpose]}:${deviceId}:${requestedAt.getTime()}`);
}

/** Throws unless the request is signed by this device's registered key for this purpose, and fresh. */
export function checkDeviceSigned(
  dedicated: DedicatedDevice,
  request: { purpose: DeviceRequestPurpose; requestedAt: Date; signature: Buffer },
  now: Date,
): void {
  const message = deviceRequestMessage(request.purpose, dedicated.deviceId, request.requestedAt);
  if (Math.abs(now.getTime() - request.requestedAt.getTime()) > FRESH_MS || !verifyEd25519(ed25519PublicKey(dedicated.publicKey), message, request.signature)) {
    throw new DeviceSignatureError('The request is not signed by this device, or its time is off by more than five minutes.');
  }
}
