import {
  ADVERT_LENGTH,
  AD_TYPE_FLAGS,
  AD_TYPE_SERVICE_DATA_16,
  AD_TYPE_UUID16_COMPLETE,
  FLAGS_VALUE,
  PAYLOAD_VERSION,
  SERVICE_PAYLOAD_LENGTH,
  TOKEN_LENGTH,
} from './advert-layout.js';

export interface AdvertFields {
  serviceUuid: number;
  token: Uint8Array;
  txPower: number;
  counter: number;
  /** Low nibble of the version/flags byte; reserved, 0 today. */
  flags?: number;
}

/** Builds the 31-byte advertisement. Throws on programmer errors (bad token length, out-of-range values). */
export function encodeAdvert(fields: AdvertFields): Buffer {
  const { serviceUuid, token, txPower, counter, flags = 0 } = fields;
  if (token.length !== TOKEN_LENGTH) throw new RangeError(`token must be ${TOKEN_LENGTH} bytes, got ${token.length}`);
  if (!Number.isInteger(serviceUuid) || serviceUuid < 0 || serviceUuid > 0xffff) throw new RangeError('serviceUuid must be a 16-bit integer');
  if (!Number.isInteger(txPower) || txPower < -128 || txPower > 127) throw new RangeError('txPower must be an int8');
  if (!Number.isInteger(flags) || flags < 0 || flags > 0x0f) throw new RangeError('flags must fit in 4 bits');
  const out = Buffer.alloc(ADVERT_LENGTH);
  out[0] = 0x02;
  out[1] = AD_TYPE_FLAGS;
  out[2] = FLAGS_VALUE;
  out[3] = 0x03;
  out[4] = AD_TYPE_UUID16_COMPLETE;
  out.writeUInt16LE(serviceUuid, 5);
  out[7] = 3 + SERVICE_PAYLOAD_LENGTH;
  out[8] = AD_TYPE_SERVICE_DATA_16;
  out.writeUInt16LE(serviceUuid, 9);
  out[11] = (PAYLOAD_VERSION << 4) | flags;
  out.set(token, 12);
  out.writeInt8(txPower, 28);
  out.writeUInt16LE(counter & 0xffff, 29);
  return out;
}

/** Outcome of {@link decodeAdvertInto}; anything but `Ok` leaves `out` untouched. */
export const DecodeStatus = {
  Ok: 0,
  /** Well-formed advertisement that does not carry our service data (other devices). */
  Foreign: 1,
  /** Broken AD structure or our service data with a wrong length. */
  Malformed: 2,
  /** Our service data with a version we do not understand. */
  UnsupportedVersion: 3,
} as const;
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];

/** Reusable result holder so the hot path allocates nothing. */
export interface DecodedAdvert {
  /** Offset of the 16 token bytes inside the decoded buffer. */
  tokenOffset: number;
  txPower: number;
  counter: number;
  flags: number;
}

export function newDecodedAdvert(): DecodedAdvert {
  return { tokenOffset: -1, txPower: 0, counter: 0, flags: 0 };
}

/**
 * Walks the AD structures of `data` defensively (never reads past the end, never throws) and finds
 * the service data carrying `serviceUuid`. Accepts legacy (≤31 bytes) and zero-padded data; a length
 * byte of 0 ends the significant part, as the Core spec allows.
 */
export function decodeAdvertInto(data: Uint8Array, serviceUuid: number, out: DecodedAdvert): DecodeStatus {
  const end = data.length;
  let i = 0;
  let found = -1;
  while (i < end) {
    const len = data[i]!;
    if (len === 0) break;
    const next = i + 1 + len;
    if (next > end) return DecodeStatus.Malformed;
    if (data[i + 1] === AD_TYPE_SERVICE_DATA_16 && len >= 3 && (data[i + 2]! | (data[i + 3]! << 8)) === serviceUuid) {
      if (found !== -1) return DecodeStatus.Malformed;
      if (len - 3 < 1) return DecodeStatus.Malformed;
      if (data[i + 4]! >> 4 !== PAYLOAD_VERSION) return DecodeStatus.UnsupportedVersion;
      if (len - 3 !== SERVICE_PAYLOAD_LENGTH) return DecodeStatus.Malformed;
      found = i + 4;
    }
    i = next;
  }
  if (found === -1) return DecodeStatus.Foreign;
  out.flags = data[found]! & 0x0f;
  out.tokenOffset = found + 1;
  const tx = data[found + 1 + TOKEN_LENGTH]!;
  out.txPower = tx > 127 ? tx - 256 : tx;
  out.counter = data[found + 2 + TOKEN_LENGTH]! | (data[found + 3 + TOKEN_LENGTH]! << 8);
  return DecodeStatus.Ok;
}

/** Convenience (allocating) decoder for tests, tools and the CLI; not for the hot path. */
export function decodeAdvert(data: Uint8Array, serviceUuid: number): (Omit<AdvertFields, 'serviceUuid'> & { status: 'ok' }) | { status: 'foreign' | 'malformed' | 'unsupported_version' } {
  const out = newDecodedAdvert();
  const status = decodeAdvertInto(data, serviceUuid, out);
  if (status === DecodeStatus.Ok) {
    return {
      status: 'ok',
      token: new Uint8Array(data.subarray(out.tokenOffset, out.tokenOffset + TOKEN_LENGTH)),
      txPower: out.txPower,
      counter: out.counter,
      flags: out.flags,
    };
  }
  return { status: status === DecodeStatus.Foreign ? 'foreign' : status === DecodeStatus.Malformed ? 'malformed' : 'unsupported_version' };
}
