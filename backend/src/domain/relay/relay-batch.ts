import { createHash } from 'node:crypto';

/**
 * The canonical encoding of a dedicated device's batch, the bytes its Ed25519 key signs
 * (see docs/RELAY.md). Binary and fixed-width, so a firmware writes it with no JSON library and
 * there is exactly one encoding of each batch. Big-endian throughout.
 *
 *   offset size field
 *   0      4    magic "PTRB"
 *   4      1    version (1)
 *   5      16   deviceId (the UUID's 16 bytes)
 *   21     4    seq: 1 for the first batch, +1 for each one after it
 *   25     32   prevHash: SHA-256 of the previous signed batch (zeros before the first)
 *   57     6    createdAt: when the batch was sealed, ms since the Unix epoch
 *   63     4    dropped: batches the device discarded so far because its store was full
 *   67     1    count of observations, 1..50
 *   68     25×n observations: token (16) | firstSeen s (4) | lastSeen s (4) | max RSSI int8 (1; -128 = none)
 *   68+25n 64   Ed25519 signature over every byte before it
 */
export const BATCH_MAGIC = Buffer.from('PTRB', 'ascii');
export const BATCH_VERSION = 1;
export const BATCH_HEADER_BYTES = 68;
export const OBSERVATION_BYTES = 25;
export const SIGNATURE_BYTES = 64;
export const HASH_BYTES = 32;
export const MAX_BATCH_OBSERVATIONS = 50;
export const MAX_SIGNED_BATCH_BYTES = BATCH_HEADER_BYTES + MAX_BATCH_OBSERVATIONS * OBSERVATION_BYTES + SIGNATURE_BYTES;
const NO_RSSI = -128;

export interface RelayObservation {
  /** The 16 token bytes as advertised. */
  token: Buffer;
  firstSeen: Date;
  lastSeen: Date;
  /** The typical signal (the mean of the sightings, dBm): what the backend scores proximity with. */
  rssi?: number | undefined;
}

export interface RelayBatchFields {
  deviceId: string;
  seq: number;
  prevHash: Buffer;
  createdAt: Date;
  dropped: number;
  observations: readonly RelayObservation[];
}

export interface SignedRelayBatch extends RelayBatchFields {
  /** Everything the signature covers. */
  signedPart: Buffer;
  signature: Buffer;
  /** SHA-256 of the whole signed batch: what the next batch's prevHash must be. */
  hash: Buffer;
}

export const ZERO_HASH = Buffer.alloc(HASH_BYTES);

export class BatchFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchFormatError';
  }
}

/** The bytes to sign. Throws BatchFormatError for values that do not fit the layout. */
export function encodeBatchForSigning(fields: RelayBatchFields): Buffer {
  const n = fields.observations.length;
  if (n < 1 || n > MAX_BATCH_OBSERVATIONS) throw new BatchFormatError(`a batch holds 1..${MAX_BATCH_OBSERVATIONS} observations, got ${n}`);
  if (!Number.isInteger(fields.seq) || fields.seq < 1 || fields.seq > 0xffffffff) throw new BatchFormatError('seq must be a uint32 ≥ 1');
  if (fields.prevHash.length !== HASH_BYTES) throw new BatchFormatError('prevHash must be 32 bytes');
  if (!Number.isInteger(fields.dropped) || fields.dropped < 0 || fields.dropped > 0xffffffff) throw new BatchFormatError('dropped must be a uint32');
  const out = Buffer.alloc(BATCH_HEADER_BYTES + n * OBSERVATION_BYTES);
  BATCH_MAGIC.copy(out, 0);
  out[4] = BATCH_VERSION;
  uuidToBytes(fields.deviceId).copy(out, 5);
  out.writeUInt32BE(fields.seq, 21);
  fields.prevHash.copy(out, 25);
  out.writeUIntBE(fields.createdAt.getTime(), 57, 6);
  out.writeUInt32BE(fields.dropped, 63);
  out[67] = n;
  fields.observations.forEach((o, i) => writeObservation(out, BATCH_HEADER_BYTES + i * OBSERVATION_BYTES, o));
  return out;
}

/** Parses a signed batch without trusting it: the signature is checked separately. */
export function decodeSignedBatch(bytes: Buffer): SignedRelayBatch {
  if (bytes.length < BATCH_HEADER_BYTES + OBSERVATION_BYTES + SIGNATURE_BYTES) throw new BatchFormatError(`a signed batch is at least 157 bytes, got ${bytes.length}`);
  if (!bytes.subarray(0, 4).equals(BATCH_MAGIC)) throw new BatchFormatError('not a Proxitrace relay batch (magic)');
  if (bytes[4] !== BATCH_VERSION) throw new BatchFormatError(`unsupported batch version ${bytes[4]}`);
  const n = bytes[67]!;
  const expected = BATCH_HEADER_BYTES + n * OBSERVATION_BYTES + SIGNATURE_BYTES;
  if (n < 1 || n > MAX_BATCH_OBSERVATIONS || bytes.length !== expected) throw new BatchFormatError(`batch length ${bytes.length} does not match ${n} observations`);
  const signedPart = bytes.subarray(0, expected - SIGNATURE_BYTES);
  const observations = Array.from({ length: n }, (_, i) => readObservation(bytes, BATCH_HEADER_BYTES + i * OBSERVATION_BYTES));
  const seq = bytes.readUInt32BE(21);
  if (seq < 1) throw new BatchFormatError('seq must be ≥ 1');
  return {
    deviceId: bytesToUuid(bytes.subarray(5, 21)),
    seq,
    prevHash: Buffer.from(bytes.subarray(25, 57)),
    createdAt: new Date(bytes.readUIntBE(57, 6)),
    dropped: bytes.readUInt32BE(63),
    observations,
    signedPart: Buffer.from(signedPart),
    signature: Buffer.from(bytes.subarray(expected - SIGNATURE_BYTES)),
    hash: sha256(bytes),
  };
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

export function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new BatchFormatError(`deviceId must be a UUID, got "${uuid}"`);
  return Buffer.from(hex, 'hex');
}

export function bytesToUuid(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function writeObservation(out: Buffer, at: number, o: RelayObservation): void {
  if (o.token.length !== 16) throw new BatchFormatError('a token is 16 bytes');
  const first = Math.floor(o.firstSeen.getTime() / 1000);
  const last = Math.max(first, Math.floor(o.lastSeen.getTime() / 1000));
  o.token.copy(out, at);
  out.writeUInt32BE(first, at + 16);
  out.writeUInt32BE(last, at + 20);
  out.writeInt8(o.rssi === undefined ? NO_RSSI : Math.max(-127, Math.min(20, Math.round(o.rssi))), at + 24);
}

function readObservation(bytes: Buffer, at: number): RelayObservation {
  const first = bytes.readUInt32BE(at + 16);
  const last = bytes.readUInt32BE(at + 20);
  if (last < first) throw new BatchFormatError('an observation ends before it starts');
  const rssi = bytes.readInt8(at + 24);
  return {
    token: Buffer.from(bytes.subarray(at, at + 16)),
    firstSeen: new Date(first * 1000),
    lastSeen: new Date(last * 1000),
    rssi: rssi === NO_RSSI ? undefined : rssi,
  };
}
