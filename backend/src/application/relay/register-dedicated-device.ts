import { randomUUID } from 'node:crypto';
import { sealOwnerPhone } from '../../domain/relay/owner-data.js';
import { ed25519PublicKey } from '../../domain/relay/relay-signatures.js';
import { issueTokens, type IssuedToken } from '../issue-tokens.js';
import { checkDeviceSigned, DedicatedDeviceUnknownError, deviceRequestMessage } from './device-signed-request.js';
import { dedicatedSubject, type BundleDeps, type RelayDeps } from './relay-deps.js';

export { DedicatedDeviceUnknownError, DeviceSignatureError } from './device-signed-request.js';

export interface Provisioned {
  deviceId: string;
  tokens: IssuedToken[];
  backend: { batchKeyId: number; batchPublicKey: Buffer; ackPublicKey: Buffer };
}

/**
 * Registers a dedicated device: a directory device of its own (its tokens and contacts are its
 * own), its Ed25519 public key, and its owner's verified number, sealed. Returns its first token
 * bundle and the backend keys it needs offline.
 */
export async function registerDedicatedDevice(
  deps: RelayDeps & BundleDeps,
  input: { publicKey: Buffer; ownerPhone: string; windows: number },
): Promise<Provisioned> {
  ed25519PublicKey(input.publicKey); // throws on a key that is not a point
  const deviceId = randomUUID();
  const now = deps.clock();
  const device = await deps.devices.ensureDevice(dedicatedSubject(deviceId), now);
  const tokens = await issueTokens({ cipher: deps.cipher, registry: deps.tokenRegistry, tokenTtlMinutes: deps.tokenTtlMinutes, clock: deps.clock }, device, input.windows);
  const bundleUntil = tokens.at(-1)!.validUntil;
  await deps.registry.register({
    deviceId,
    deviceNumber: device.number,
    publicKey: input.publicKey,
    ownerPhoneSealed: sealOwnerPhone(deps.keys.ownerDataKey, deviceId, input.ownerPhone),
    registeredAt: now,
    bundleUntil,
    keepUntil: new Date(bundleUntil.getTime() + deps.retentionMs),
  });
  return { deviceId, tokens, backend: backendKeys(deps) };
}

/**
 * A fresh bundle for a registered device, asked for with its own key (the provisioning link has
 * it): signature over "PTRN" | deviceId | requestedAt ms, fresh within five minutes.
 */
export async function renewBundle(deps: RelayDeps & BundleDeps, input: { deviceId: string; requestedAt: Date; signature: Buffer; windows: number }): Promise<Provisioned> {
  const dedicated = await deps.registry.find(input.deviceId);
  if (!dedicated) throw new DedicatedDeviceUnknownError('No dedicated device is registered under this id.');
  checkDeviceSigned(dedicated, { purpose: 'renew', requestedAt: input.requestedAt, signature: input.signature }, deps.clock());
  const device = { subject: dedicatedSubject(input.deviceId), number: dedicated.deviceNumber, createdAt: dedicated.registeredAt };
  const tokens = await issueTokens({ cipher: deps.cipher, registry: deps.tokenRegistry, tokenTtlMinutes: deps.tokenTtlMinutes, clock: deps.clock }, device, input.windows);
  const bundleUntil = tokens.at(-1)!.validUntil;
  await deps.registry.extendBundle(input.deviceId, bundleUntil, new Date(bundleUntil.getTime() + deps.retentionMs));
  return { deviceId: input.deviceId, tokens, backend: backendKeys(deps) };
}

/** What a device signs to ask for a new bundle. */
export function renewalMessage(deviceId: string, requestedAt: Date): Buffer {
  return deviceRequestMessage('renew', deviceId, requestedAt);
}

function backendKeys(deps: RelayDeps): Provisioned['backend'] {
  return { batchKeyId: deps.keys.newestBatchKey.id, batchPublicKey: deps.keys.newestBatchKey.publicKey, ackPublicKey: deps.keys.ackPublicKey };
}
