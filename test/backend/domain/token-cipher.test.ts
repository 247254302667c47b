import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenCipher } from '../../../backend/src/domain/tokens/token-cipher.js';
import { decodeToken, encodeToken } from '../../../backend/src/domain/tokens/token-encoding.js';
import { packTokenPlaintext, unpackTokenPlaintext } from '../../../backend/src/domain/tokens/token-layout.js';
import { consecutiveWindows, windowContaining, windowCovers } from '../../../backend/src/domain/tokens/token-window.js';
import { aKeySet, MIN, NOW } from '../../support/builders.js';

const window = windowContaining(NOW, 180);

describe('token layout', () => {
  it('packs and unpacks every field', () => {
    const fields = { device: 2 ** 48 - 1, windowStartMinute: 29_400_000, windowMinutes: 180, keyId: 7 };
    expect(unpackTokenPlaintext(packTokenPlaintext(fields), 7)).toEqual(fields);
  });

  it.each([
    ['another key id', (b: Buffer) => b, 8],
    ['a wrong version byte', (b: Buffer) => ((b[12] = 2), b), 7],
    ['a wrong magic byte', (b: Buffer) => ((b[15] = 0), b), 7],
    ['a zero window length', (b: Buffer) => (b.writeUInt16BE(0, 10), b), 7],
  ])('rejects a block with %s', (_name, tamper, keyId) => {
    const block = tamper(packTokenPlaintext({ device: 42, windowStartMinute: 1000, windowMinutes: 180, keyId: 7 }));
    expect(unpackTokenPlaintext(block, keyId)).toBeUndefined();
  });
});

describe('TokenCipher', () => {
  it('resolves an issued token to its device and window', () => {
    const cipher = new TokenCipher(aKeySet(1));
    const token = cipher.issue(123_456_789, window);
    expect(token).toHaveLength(16);
    expect(cipher.resolve(token)).toEqual({ device: 123_456_789, windowStartMinute: window.startMinute, windowMinutes: 180, keyId: 1 });
  });

  it('gives unrelated-looking tokens for consecutive windows of one device', () => {
    const cipher = new TokenCipher(aKeySet(1));
    const [a, b] = consecutiveWindows(NOW, 180, 2).map((w) => cipher.issue(1, w));
    const sameBytes = [...a!].filter((byte, i) => byte === b![i]).length;
    expect(sameBytes).toBeLessThan(6); // about 16/256 expected by chance
  });

  it('still resolves tokens of an older key after rotation, and issues under the newest', () => {
    const before = new TokenCipher(aKeySet(1));
    const after = new TokenCipher(aKeySet(2, 1));
    const old = before.issue(5, window);
    const fresh = after.issue(6, window);
    expect(after.resolveAll([fresh, old]).map((r) => r?.device)).toEqual([6, 5]);
    expect(after.resolve(fresh)?.keyId).toBe(2);
    expect(before.resolve(fresh)).toBeUndefined();
  });

  it('does not resolve a token once its key is retired, or under a different key', () => {
    const token = new TokenCipher(aKeySet(1)).issue(5, window);
    expect(new TokenCipher(aKeySet(2)).resolve(token)).toBeUndefined();
  });

  it('rejects random and tampered tokens', () => {
    const cipher = new TokenCipher(aKeySet(2, 1));
    const random = Array.from({ length: 20_000 }, () => randomBytes(16));
    expect(cipher.resolveAll(random).filter(Boolean)).toHaveLength(0);
    const token = cipher.issue(5, window);
    for (let i = 0; i < 16; i++) {
      const tampered = Buffer.from(token);
      tampered[i]! ^= 0x01;
      expect(cipher.resolve(tampered)).toBeUndefined();
    }
  });

  it('keeps the order of a batch and marks short inputs unresolved', () => {
    const cipher = new TokenCipher(aKeySet(1));
    const tokens = [cipher.issue(1, window), Buffer.alloc(3), cipher.issue(2, window)];
    expect(cipher.resolveAll(tokens).map((r) => r?.device)).toEqual([1, undefined, 2]);
  });
});

describe('token encoding and windows', () => {
  it('round-trips 16 bytes through 22 base64url characters and refuses anything else', () => {
    const bytes = randomBytes(16);
    const text = encodeToken(bytes);
    expect(text).toHaveLength(22);
    expect(decodeToken(text)).toEqual(bytes);
    expect(decodeToken(`${text}A`)).toBeUndefined();
    expect(decodeToken(text.replace(/./, '+'))).toBeUndefined();
  });

  it.each([
    ['at the start', 0, 0, true],
    ['just before the end', 179, 0, true],
    ['at the end', 180, 0, false],
    ['in the grace after the end', 190, 15, true],
    ['in the grace before the start', -10, 15, true],
    ['beyond the grace', -16, 15, false],
  ])('a sighting %s of its window is covered: %s', (_name, minuteInWindow, graceMinutes, covered) => {
    const at = new Date((window.startMinute + minuteInWindow) * MIN);
    expect(windowCovers(window, at, graceMinutes * MIN)).toBe(covered);
  });

  it('aligns windows to one global grid', () => {
    const windows = consecutiveWindows(new Date('2026-11-23T10:59:00Z'), 180, 3);
    expect(windows.map((w) => new Date(w.startMinute * MIN).toISOString())).toEqual([
      '2026-11-23T09:00:00.000Z',
      '2026-11-23T12:00:00.000Z',
      '2026-11-23T15:00:00.000Z',
    ]);
  });
});
