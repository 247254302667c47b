import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SecretBox } from '../../../backend/src/domain/secret-box.js';
import { readFileIfPresent } from './private-file.js';

/** The key file is missing, unreadable, open to other users, or not a key. */
export class SealingKeyError extends Error {}

/**
 * The key that seals the bridge's secrets at rest (its session and its future tokens), kept in a
 * file of its own outside the data directory: a copy of the data directory (a backup, an outbox
 * sent for debugging, a stolen SD card without the key's partition) opens nothing.
 * 32 random bytes, base64url, mode 0600 in a 0700 directory; created on first use.
 */
export class SealingKey {
  private constructor(private readonly material: Buffer) {}

  /** Loads the key at `path`; creates it when absent and `create` is set. */
  static open(path: string, options: { create: boolean }): SealingKey {
    let text = readFileIfPresent(path);
    if (text === undefined) {
      if (!options.create) throw new SealingKeyError(`${path}: no such key file`);
      text = SealingKey.create(path);
    }
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) throw new SealingKeyError(`${path} is readable by other users (mode ${mode.toString(8)}): chmod 600 ${path}`);
    const material = Buffer.from(text.trim(), 'base64url');
    if (material.length !== 32) throw new SealingKeyError(`${path} is not a bridge key (expected 32 bytes as base64url)`);
    return new SealingKey(material);
  }

  /** An AES-256-GCM box for one purpose (a key derived per purpose). */
  box(purpose: string): SecretBox {
    return new SecretBox(this.material, `bridge:${purpose}`);
  }

  private static create(path: string): string {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const text = `${randomBytes(32).toString('base64url')}\n`;
    try {
      // Exclusive: two bridges starting at once end up with the same key.
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      return text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new SealingKeyError(`${path}: cannot create the key file (${(error as Error).message})`);
      return readFileIfPresent(path) ?? '';
    }
  }
}
