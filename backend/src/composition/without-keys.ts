import { PhoneHasher } from '../adapters/phone-hash/phone-hash.js';
import type { DeviceNumber } from '../domain/device.js';
import type { RelayKeys } from '../domain/relay/relay-keys.js';
import { TokenCipher } from '../domain/tokens/token-cipher.js';
import { TokenKeySet } from '../domain/tokens/token-keys.js';
import type { TokenPlaintext } from '../domain/tokens/token-layout.js';
import type { TokenWindow } from '../domain/tokens/token-window.js';

/**
 * Stand-ins for the secrets a function was not given (`TOKEN_KEYS=none`, `RELAY_KEYS=none`,
 * `PHONE_HASH_SECRET=none`): each deployed function reads only the secrets its registry entry
 * lists, and one that reaches for another fails loudly instead of running with a key of its own.
 */
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

/** Issues nothing; resolves every token to nobody. */
export function withoutTokenKeys(): TokenCipher {
  return new KeylessTokenCipher();
}

/** Every key throws when read: no batch can be opened, acknowledged or owner number sealed. */
export function withoutRelayKeys(): RelayKeys {
  const missing = (what: string) => ({
    get(): never {
      throw new Error(`this function has no relay keys (RELAY_KEYS=none): it may not ${what}`);
    },
  });
  return Object.defineProperties({} as RelayKeys, {
    batchKeyring: missing('open relayed batches'),
    newestBatchKey: missing('provision dedicated devices'),
    ackSigningKey: missing('sign acknowledgements or owner tickets'),
    ackPublicKey: missing('provision dedicated devices'),
    ownerDataKey: missing("seal or open owners' numbers"),
  });
}

class KeylessPhoneHasher extends PhoneHasher {
  constructor() {
    super(Buffer.alloc(0));
  }

  override key(): string {
    throw new Error('this function has no phone-hash key (PHONE_HASH_SECRET=none): it may not key phone numbers');
  }

  override username(): string {
    throw new Error('this function has no phone-hash key (PHONE_HASH_SECRET=none): it may not name identity users');
  }
}

/** For functions that never see a phone number. */
export function withoutPhoneHashKey(): PhoneHasher {
  return new KeylessPhoneHasher();
}
