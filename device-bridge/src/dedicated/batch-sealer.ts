import { encodeBatchForSigning, type RelayBatchFields } from '../../../backend/src/domain/relay/relay-batch.js';
import { sealBatch } from '../../../backend/src/domain/relay/relay-seal.js';
import { ackMessage, decodeAck, ed25519PrivateKey, ed25519PublicKey, signEd25519, verifyEd25519 } from '../../../backend/src/domain/relay/relay-signatures.js';
import type { DeviceCredentials } from './device-credentials.js';

/**
 * The device's cryptography, on the backend's own wire-format modules (one spec for both ends):
 * sign a batch once when it is sealed into the store, seal it to the backend afresh at each
 * handover, and check that an acknowledgement really comes from the backend.
 */
export class BatchSealer {
  private readonly signingKey;
  private readonly ackKey;

  constructor(private readonly credentials: DeviceCredentials) {
    this.signingKey = ed25519PrivateKey(credentials.signingKey);
    this.ackKey = ed25519PublicKey(credentials.backend.ackPublicKey);
  }

  get deviceId(): string {
    return this.credentials.deviceId;
  }

  /** The canonical signed batch: the bytes the store keeps and the chain hashes. */
  sign(fields: Omit<RelayBatchFields, 'deviceId'>): Buffer {
    const body = encodeBatchForSigning({ ...fields, deviceId: this.credentials.deviceId });
    return Buffer.concat([body, signEd25519(this.signingKey, body)]);
  }

  /** A new envelope for one handover: a relay never sees the same bytes twice. */
  sealForHandover(signedBatch: Buffer): Promise<Buffer> {
    return sealBatch(signedBatch, this.credentials.backend.batchPublicKey, this.credentials.backend.batchKeyId);
  }

  /** The hash the ack names, if its signature is the backend's for (this device, `seqOf(hash)`). */
  verifyAck(ack: Buffer, seqOf: (batchHash: Buffer) => number | undefined): { batchHash: Buffer; seq: number } | undefined {
    const decoded = decodeAck(ack);
    if (!decoded) return undefined;
    const seq = seqOf(decoded.batchHash);
    if (seq === undefined) return undefined;
    return verifyEd25519(this.ackKey, ackMessage(this.credentials.deviceId, seq, decoded.batchHash), decoded.signature) ? { batchHash: decoded.batchHash, seq } : undefined;
  }
}
