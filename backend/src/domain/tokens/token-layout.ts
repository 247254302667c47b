import type { DeviceNumber } from '../device.js';

/**
 * The 16-byte plaintext of a contact token, before encryption (see docs/TOKENS.md).
 *
 *   offset size field
 *   0      6    device number, unsigned big-endian (48 bits)
 *   6      4    window start, minutes since the Unix epoch, unsigned big-endian
 *   10     2    window length in minutes, unsigned big-endian
 *   12     1    layout version (1)
 *   13     1    id of the key that encrypted this block
 *   14     2    magic bytes 0x50 0x54 ("PT")
 *
 * Bytes 12–15 are the integrity check: after decryption with key k they must read
 * [1, k, 0x50, 0x54]. A block that was not produced under k passes with probability 2^-32.
 */
export const TOKEN_BYTES = 16;
export const TOKEN_LAYOUT_VERSION = 1;
const MAGIC_0 = 0x50;
const MAGIC_1 = 0x54;

export interface TokenPlaintext {
  device: DeviceNumber;
  windowStartMinute: number;
  windowMinutes: number;
  keyId: number;
}

export function packTokenPlaintext(fields: TokenPlaintext, into: Buffer = Buffer.allocUnsafe(TOKEN_BYTES), offset = 0): Buffer {
  into.writeUIntBE(fields.device, offset, 6);
  into.writeUInt32BE(fields.windowStartMinute, offset + 6);
  into.writeUInt16BE(fields.windowMinutes, offset + 10);
  into[offset + 12] = TOKEN_LAYOUT_VERSION;
  into[offset + 13] = fields.keyId;
  into[offset + 14] = MAGIC_0;
  into[offset + 15] = MAGIC_1;
  return into;
}

/** Reads a decrypted block; returns undefined when its integrity bytes do not match `keyId`. */
export function unpackTokenPlaintext(block: Buffer, keyId: number, offset = 0): TokenPlaintext | undefined {
  if (
    block[offset + 12] !== TOKEN_LAYOUT_VERSION ||
    block[offset + 13] !== keyId ||
    block[offset + 14] !== MAGIC_0 ||
    block[offset + 15] !== MAGIC_1
  ) {
    return undefined;
  }
  const windowMinutes = block.readUInt16BE(offset + 10);
  const windowStartMinute = block.readUInt32BE(offset + 6);
  const device = block.readUIntBE(offset, 6);
  if (windowMinutes === 0 || device === 0) return undefined;
  return { device, windowStartMinute, windowMinutes, keyId };
}
