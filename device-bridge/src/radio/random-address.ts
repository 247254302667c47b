/**
 * A non-resolvable private address (Core spec Vol 6 Part B 1.3.2.2): the two most significant bits
 * are 0 and the rest random (not all 0s or all 1s). Nothing links it to the previous one.
 * Returned most-significant byte first, "aa:bb:cc:dd:ee:ff", as noble reports addresses.
 */
export function randomPrivateAddress(random: () => number = Math.random): string {
  for (;;) {
    const bytes = Array.from({ length: 6 }, () => Math.floor(random() * 256) & 0xff);
    bytes[0] = bytes[0]! & 0x3f;
    const allZero = bytes.every((b) => b === 0);
    const allOnes = bytes[0] === 0x3f && bytes.slice(1).every((b) => b === 0xff);
    if (!allZero && !allOnes) return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
  }
}

/** "aa:bb:cc:dd:ee:ff" → 6 bytes little-endian, as HCI commands carry addresses. */
export function addressToHciBytes(address: string): Buffer {
  const parts = address.split(':').map((h) => Number.parseInt(h, 16));
  if (parts.length !== 6 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RangeError(`bad address ${address}`);
  return Buffer.from(parts.reverse());
}
