/**
 * The server's token keys. New tokens are encrypted under the newest key; resolution tries
 * every active key, newest first, so a key can be rotated without invalidating live tokens.
 */
export interface TokenKey {
  /** 0–255, written into every token so a block can only verify under its own key. */
  id: number;
  /** 32 bytes: AES-256. */
  secret: Buffer;
}

export class TokenKeySet {
  /** Newest first. */
  readonly keys: readonly TokenKey[];

  constructor(keys: readonly TokenKey[]) {
    if (keys.length === 0) throw new Error('a token key set needs at least one key');
    const ids = new Set<number>();
    for (const key of keys) {
      if (!Number.isInteger(key.id) || key.id < 0 || key.id > 255) throw new Error(`token key id ${key.id} is not in 0–255`);
      if (key.secret.length !== 32) throw new Error(`token key ${key.id} must be 32 bytes, got ${key.secret.length}`);
      if (ids.has(key.id)) throw new Error(`token key id ${key.id} appears twice`);
      ids.add(key.id);
    }
    this.keys = [...keys];
  }

  get newest(): TokenKey {
    return this.keys[0]!;
  }
}
