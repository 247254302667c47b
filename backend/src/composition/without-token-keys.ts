import type { DeviceNumber } from '../domain/device.js';
import { TokenCipher } from '../domain/tokens/token-cipher.js';
import { TokenKeySet } from '../domain/tokens/token-keys.js';
import type { TokenPlaintext } from '../domain/tokens/token-layout.js';
import type { TokenWindow } from '../domain/tokens/token-window.js';

/** The cipher of a function that never issues or resolves tokens (TOKEN_KEYS=none): it refuses both. */
class KeylessTokenCipher extends TokenCipher {
  constructor() {
    // A placeholder the overrides below never use.
    super(new TokenKeySet([{ id: 0, secret: Buffer.alloc(32) }]));
  }

  override issue(_device: DeviceNumber, _window: TokenWindow): Buffer {
    throw new Error('this function has no token keys (TOKEN_KEYS=none): it may not issue tokens');
  }

  override resolveAll(tokens: readonly Buffer[]): (TokenPlaintext | undefined)[] {
    return tokens.map(() => undefined);
  }

  override resolve(_token: Buffer): TokenPlaintext | undefined {
    return undefined;
  }
}

export function withoutTokenKeys(): TokenCipher {
  return new KeylessTokenCipher();
}
