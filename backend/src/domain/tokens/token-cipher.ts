import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { DeviceNumber } from '../device.js';
import { packTokenPlaintext, TOKEN_BYTES, unpackTokenPlaintext, type TokenPlaintext } from './token-layout.js';
import type { TokenKeySet } from './token-keys.js';
import type { TokenWindow } from './token-window.js';

/**
 * Encrypts and decrypts contact tokens: one AES-256 block each, so a token is a pseudo-random
 * permutation of its plaintext and unlinkable without the key. ECB is the raw block cipher
 * here: every token is exactly one block, and no two tokens share a plaintext.
 */
export class TokenCipher {
  constructor(private keySet: TokenKeySet) {}

  /** Takes a rotated key set (keys re-read from their secret); tokens under dropped keys stop resolving. */
  replaceKeys(keySet: TokenKeySet): void {
    this.keySet = keySet;
  }

  /** The key new tokens are encrypted under. */
  get issuingKeyId(): number {
    return this.keySet.newest.id;
  }

  issue(device: DeviceNumber, window: TokenWindow): Buffer {
    const key = this.keySet.newest;
    const plaintext = packTokenPlaintext({
      device,
      windowStartMinute: window.startMinute,
      windowMinutes: window.lengthMinutes,
      keyId: key.id,
    });
    const cipher = createCipheriv('aes-256-ecb', key.secret, null).setAutoPadding(false);
    return Buffer.concat([cipher.update(plaintext), cipher.final()]);
  }

  /**
   * Resolves many tokens at once: one decipher call per key over the concatenated blocks,
   * then a second pass with older keys only for the blocks that did not verify.
   * The result has one entry per input, undefined where no active key verifies the block.
   */
  resolveAll(tokens: readonly Buffer[]): (TokenPlaintext | undefined)[] {
    const results: (TokenPlaintext | undefined)[] = new Array(tokens.length).fill(undefined);
    let pending = tokens.map((token, index) => ({ token, index })).filter(({ token }) => token.length === TOKEN_BYTES);
    for (const key of this.keySet.keys) {
      if (pending.length === 0) break;
      const decipher = createDecipheriv('aes-256-ecb', key.secret, null).setAutoPadding(false);
      const plain = Buffer.concat([decipher.update(Buffer.concat(pending.map((p) => p.token))), decipher.final()]);
      const unresolved: typeof pending = [];
      pending.forEach((entry, i) => {
        const fields = unpackTokenPlaintext(plain, key.id, i * TOKEN_BYTES);
        if (fields) results[entry.index] = fields;
        else unresolved.push(entry);
      });
      pending = unresolved;
    }
    return results;
  }

  resolve(token: Buffer): TokenPlaintext | undefined {
    return this.resolveAll([token])[0];
  }
}
