import { createHash } from 'node:crypto';

/**
 * The relay service a dedicated device serves (see device-bridge/README.md, "Relaying"):
 *
 *   5054f100-7072-6f78-6974-726163650001  Relay service (primary)
 *   5054f101-…  Status  read    version (1) | pending batches (u16 BE)
 *   5054f102-…  Batch   write   index (u16 BE): seal the index-th held batch afresh for this read
 *                       read    version (1) | index (u16) | length (u16) | SHA-256 of envelope (32) | envelope
 *   5054f103-…  Ack     write   a backend acknowledgement (96 bytes); frees every batch up to the one it names
 *
 * Values longer than the ATT MTU are read with Read Blob requests (ATT chunks them to MTU − 1);
 * the frame carries its own length and digest because noble reports a failed blob read as short
 * data, not as an error.
 */
const uuid = (n: number) => `5054f1${n.toString(16).padStart(2, '0')}70726f786974726163650001`;
export const RELAY_SERVICE_UUID = uuid(0x00);
export const STATUS_UUID = uuid(0x01);
export const BATCH_UUID = uuid(0x02);
export const ACK_UUID = uuid(0x03);
export const RELAY_CHARACTERISTICS = [STATUS_UUID, BATCH_UUID, ACK_UUID] as const;

export const PROTOCOL_VERSION = 1;
const FRAME_HEADER = 1 + 2 + 2 + 32;

export function encodeStatus(pending: number): Buffer {
  const out = Buffer.alloc(3);
  out[0] = PROTOCOL_VERSION;
  out.writeUInt16BE(Math.min(pending, 0xffff), 1);
  return out;
}

export function decodeStatus(data: Buffer): { pending: number } | undefined {
  if (data.length < 3 || data[0] !== PROTOCOL_VERSION) return undefined;
  return { pending: data.readUInt16BE(1) };
}

export function encodeSelect(index: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(index);
  return out;
}

export function decodeSelect(data: Buffer): number | undefined {
  return data.length === 2 ? data.readUInt16BE(0) : undefined;
}

export function encodeBatchFrame(index: number, envelope: Buffer): Buffer {
  const header = Buffer.alloc(FRAME_HEADER);
  header[0] = PROTOCOL_VERSION;
  header.writeUInt16BE(index, 1);
  header.writeUInt16BE(envelope.length, 3);
  createHash('sha256').update(envelope).digest().copy(header, 5);
  return Buffer.concat([header, envelope]);
}

/** The envelope if the frame is complete and intact, else why not. */
export function decodeBatchFrame(frame: Buffer, expectedIndex: number): { envelope: Buffer } | { error: string } {
  if (frame.length < FRAME_HEADER || frame[0] !== PROTOCOL_VERSION) return { error: `short or foreign frame (${frame.length} bytes)` };
  if (frame.readUInt16BE(1) !== expectedIndex) return { error: `frame for batch ${frame.readUInt16BE(1)}, asked for ${expectedIndex}` };
  const length = frame.readUInt16BE(3);
  const envelope = frame.subarray(FRAME_HEADER);
  if (envelope.length !== length) return { error: `frame truncated: ${envelope.length} of ${length} bytes` };
  if (!createHash('sha256').update(envelope).digest().equals(frame.subarray(5, FRAME_HEADER))) return { error: 'frame digest mismatch' };
  return { envelope: Buffer.from(envelope) };
}
