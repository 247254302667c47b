import type { KeyObject } from 'node:crypto';
import type { BatchKeyring } from './relay-seal.js';

/**
 * The backend's relay secrets: X25519 keys that batches are sealed to (newest first; devices are
 * provisioned with the newest), the Ed25519 key that signs acknowledgements and owner-verification
 * tickets, and a 32-byte key that seals owners' phone numbers at rest and keys their hashes.
 */
export interface RelayKeys {
  batchKeyring: BatchKeyring;
  newestBatchKey: { id: number; publicKey: Buffer };
  ackSigningKey: KeyObject;
  ackPublicKey: Buffer;
  ownerDataKey: Buffer;
}
