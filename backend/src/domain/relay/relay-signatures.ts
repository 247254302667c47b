import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { HASH_BYTES, uuidToBytes } from './relay-batch.js';

/** Ed25519 keys as 32 raw bytes (the device's identity, the backend's acknowledgement key). */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519PrivateKey(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error(`an Ed25519 private key is 32 bytes, got ${seed.length}`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKey(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Buffer {
  const der = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

export function rawPrivateKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return Buffer.from(der.subarray(der.length - 32));
}

export function signEd25519(key: KeyObject, message: Buffer): Buffer {
  return sign(null, message, key);
}

export function verifyEd25519(key: KeyObject, message: Buffer, signature: Buffer): boolean {
  return signature.length === 64 && verify(null, message, key, signature);
}

/**
 * The backend's acknowledgement that a device's batch is stored: 32-byte batch hash + 64-byte
 * signature over "PTRA" | version | deviceId | seq | hash. It carries neither the device id nor the
 * seq, so a relay that writes it back learns nothing new; the device knows both. An ack for seq
 * s means every batch up to s is settled: the device frees them all.
 */
export const ACK_BYTES = HASH_BYTES + 64;
const ACK_CONTEXT = Buffer.from('PTRA\x01', 'latin1');

export function ackMessage(deviceId: string, seq: number, batchHash: Buffer): Buffer {
  const seqBytes = Buffer.alloc(4);
  seqBytes.writeUInt32BE(seq);
  return Buffer.concat([ACK_CONTEXT, uuidToBytes(deviceId), seqBytes, batchHash]);
}

export function encodeAck(batchHash: Buffer, signature: Buffer): Buffer {
  return Buffer.concat([batchHash, signature]);
}

export function decodeAck(bytes: Buffer): { batchHash: Buffer; signature: Buffer } | undefined {
  if (bytes.length !== ACK_BYTES) return undefined;
  return { batchHash: Buffer.from(bytes.subarray(0, HASH_BYTES)), signature: Buffer.from(bytes.subarray(HASH_BYTES)) };
}
