import { describe, expect, it } from 'vitest';
import { decodeAdvert, DecodeStatus, decodeAdvertInto, encodeAdvert, newDecodedAdvert } from '../../../device-bridge/src/ble/advert-codec.js';
import { ADVERT_LENGTH, DEFAULT_SERVICE_UUID } from '../../../device-bridge/src/ble/advert-layout.js';

const TOKEN = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const UUID = DEFAULT_SERVICE_UUID;
const valid = () => encodeAdvert({ serviceUuid: UUID, token: TOKEN, txPower: -8, counter: 0x1234 });

describe('advert codec', () => {
  it('encodes the documented 31-byte layout', () => {
    const adv = valid();
    expect(adv.length).toBe(ADVERT_LENGTH);
    expect([...adv.subarray(0, 12)]).toEqual([0x02, 0x01, 0x06, 0x03, 0x03, 0x54, 0x50, 0x17, 0x16, 0x54, 0x50, 0x10]);
    expect([...adv.subarray(12, 28)]).toEqual([...TOKEN]);
    expect(adv.readInt8(28)).toBe(-8);
    expect(adv.readUInt16LE(29)).toBe(0x1234);
  });

  it('round-trips token, TX power and counter', () => {
    expect(decodeAdvert(valid(), UUID)).toEqual({ status: 'ok', token: TOKEN, txPower: -8, counter: 0x1234, flags: 0 });
  });

  it('finds the token with other AD structures before it and zero padding after', () => {
    const name = Buffer.from([0x04, 0x09, 0x41, 0x42, 0x43]);
    const padded = Buffer.concat([name, valid().subarray(3), Buffer.alloc(6)]);
    const out = newDecodedAdvert();
    expect(decodeAdvertInto(padded, UUID, out)).toBe(DecodeStatus.Ok);
    expect([...padded.subarray(out.tokenOffset, out.tokenOffset + 16)]).toEqual([...TOKEN]);
  });

  const mutate = (f: (b: Buffer) => Buffer) => f(Buffer.from(valid()));
  it.each([
    ['empty', Buffer.alloc(0), 'foreign'],
    ['another service UUID', encodeAdvert({ serviceUuid: 0x1234, token: TOKEN, txPower: 0, counter: 0 }), 'foreign'],
    ['only flags', Buffer.from([0x02, 0x01, 0x06]), 'foreign'],
    ['length byte past the end', mutate((b) => b.subarray(0, 20)), 'malformed'],
    ['single length byte', Buffer.from([0x1e]), 'malformed'],
    ['service data one byte short', mutate((b) => Buffer.concat([b.subarray(0, 7), Buffer.from([0x16]), b.subarray(8, 30)])), 'malformed'],
    ['service data one byte long', mutate((b) => Buffer.concat([b.subarray(0, 7), Buffer.from([0x18]), b.subarray(8), Buffer.from([0])])), 'malformed'],
    ['service data with only the UUID', Buffer.from([0x03, 0x16, 0x54, 0x50]), 'malformed'],
    ['service data twice', mutate((b) => Buffer.concat([b.subarray(7), b.subarray(7)])), 'malformed'],
    ['version 2', mutate((b) => ((b[11] = 0x20), b)), 'unsupported_version'],
    ['version 0', mutate((b) => ((b[11] = 0x00), b)), 'unsupported_version'],
  ])('classifies %s as %s without throwing', (_name, data, expected) => {
    expect(decodeAdvert(data, UUID).status).toBe(expected);
  });

  it('never throws on random garbage', () => {
    const out = newDecodedAdvert();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    for (let n = 0; n < 5000; n++) {
      const buf = Buffer.alloc(rnd() % 40);
      for (let i = 0; i < buf.length; i++) buf[i] = rnd() & 0xff;
      if (n % 3 === 0 && buf.length > 12) valid().copy(buf, 0, 0, rnd() % 31);
      const status = decodeAdvertInto(buf, UUID, out);
      expect([0, 1, 2, 3]).toContain(status);
    }
  });

  it.each([
    ['a 15-byte token', { token: new Uint8Array(15) }],
    ['a TX power above int8', { txPower: 200 }],
    ['a UUID above 16 bits', { serviceUuid: 0x10000 }],
    ['flags above 4 bits', { flags: 0x10 }],
  ])('refuses to encode %s', (_name, override) => {
    expect(() => encodeAdvert({ serviceUuid: UUID, token: TOKEN, txPower: 0, counter: 0, ...override })).toThrow(RangeError);
  });
});
