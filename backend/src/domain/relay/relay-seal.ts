import { createPrivateKey, createPublicKey } from 'node:crypto';
import { CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';

/**
 * What a relay carries: the signed batch sealed to the backend with HPKE (RFC 9180, base mode,
 * DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305) from @hpke/core. The device seals
 * afresh at every handover, so two relays, or one relay twice, never see the same bytes and
 * cannot link a device across its token rotations by its pending batches.
 *
 *   offset size field
 *   0      1    envelope version (1)
 *   1      1    id of the backend key it is sealed to
 *   2      32   HPKE encapsulated key
 *   34     …    ciphertext of the signed batch (+ 16-byte tag)
 *
 * Bytes 0–1 are the AEAD's associated data: changing the key id breaks the seal.
 */
export const ENVELOPE_VERSION = 1;
export const ENVELOPE_HEADER_BYTES = 34;
const INFO = new TextEncoder().encode('proxitrace relay batch v1');

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });

export class EnvelopeError extends Error {
  constructor(
    readonly reason: 'malformed' | 'unknown_key' | 'undecryptable',
    message: string,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export async function sealBatch(signedBatch: Buffer, recipientPublicKey: Buffer, keyId: number): Promise<Buffer> {
  const publicKey = await suite.kem.deserializePublicKey(toArrayBuffer(recipientPublicKey));
  const header = Buffer.from([ENVELOPE_VERSION, keyId]);
  const { enc, ct } = await suite.seal({ recipientPublicKey: publicKey, info: INFO }, toArrayBuffer(signedBatch), toArrayBuffer(header));
  return Buffer.concat([header, Buffer.from(enc), Buffer.from(ct)]);
}

/** The backend's private keys by id, as raw 32-byte X25519 scalars. */
export type BatchKeyring = ReadonlyMap<number, Buffer>;

export async function openSealedBatch(envelope: Buffer, keyring: BatchKeyring): Promise<Buffer> {
  if (envelope.length <= ENVELOPE_HEADER_BYTES + 16 || envelope[0] !== ENVELOPE_VERSION) throw new EnvelopeError('malformed', 'not a version 1 relay envelope');
  const keyId = envelope[1]!;
  const raw = keyring.get(keyId);
  if (raw === undefined) throw new EnvelopeError('unknown_key', `sealed to backend key ${keyId}, which this backend does not hold`);
  const privateKey = await suite.kem.deserializePrivateKey(toArrayBuffer(raw));
  const publicKey = await suite.kem.deserializePublicKey(toArrayBuffer(await x25519PublicFromPrivate(raw)));
  try {
    const plain = await suite.open(
      { recipientKey: { privateKey, publicKey }, enc: toArrayBuffer(envelope.subarray(2, ENVELOPE_HEADER_BYTES)), info: INFO },
      toArrayBuffer(envelope.subarray(ENVELOPE_HEADER_BYTES)),
      toArrayBuffer(envelope.subarray(0, 2)),
    );
    return Buffer.from(plain);
  } catch (error) {
    throw new EnvelopeError('undecryptable', `the envelope does not open under key ${keyId}: it was altered or not sealed to us (${(error as Error).name})`);
  }
}

export async function newX25519KeyPair(): Promise<{ privateKey: Buffer; publicKey: Buffer }> {
  const pair = await suite.kem.generateKeyPair();
  return {
    privateKey: Buffer.from(await suite.kem.serializePrivateKey(pair.privateKey)),
    publicKey: Buffer.from(await suite.kem.serializePublicKey(pair.publicKey)),
  };
}

const derivedPublic = new Map<string, Buffer>();

/** The public key of a raw X25519 private key (cached: the backend opens many envelopes per key). */
export async function x25519PublicFromPrivate(raw: Buffer): Promise<Buffer> {
  const id = raw.toString('base64');
  let pub = derivedPublic.get(id);
  if (pub === undefined) {
    const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), raw]), format: 'der', type: 'pkcs8' });
    const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
    pub = Buffer.from(der.subarray(der.length - 32));
    derivedPublic.set(id, pub);
  }
  return pub;
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
