import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { TokenKeySet } from '../../domain/tokens/token-keys.js';

/**
 * Token keys come, in order of precedence, from TOKEN_KEYS ("id:base64,id:base64", newest
 * first), from the JSON file TOKEN_KEYS_FILE, or from DATA_DIR/token-keys.json, which the
 * embedded default creates on first start. In AWS the file's JSON is a Secrets Manager secret
 * (TOKEN_KEYS_SECRET_ID, see secret-token-keys.ts).
 *
 * A key may carry `activeFrom`: until then it only resolves tokens and the next key issues them.
 * Rotation adds a key with a future `activeFrom`, so every instance knows it before any issues under it.
 */
const keyFileSchema = z.object({
  keys: z
    .array(z.object({ id: z.number().int().min(0).max(255), secret: z.string().min(1), activeFrom: z.iso.datetime().optional() }))
    .min(1)
    .meta({ description: 'newest first: the first active key encrypts new tokens' }),
});

export type TokenKeyFile = z.infer<typeof keyFileSchema>;

export function parseTokenKeysEnv(value: string): TokenKeySet {
  const keys = value.split(',').map((entry, i) => {
    const match = /^\s*(\d{1,3})\s*:\s*([A-Za-z0-9+/_=-]+)\s*$/.exec(entry);
    if (!match) throw new Error(`TOKEN_KEYS entry ${i + 1} must look like "<id>:<base64 32-byte key>"`);
    return { id: Number(match[1]), secret: decodeKey(match[2]!, `TOKEN_KEYS entry ${i + 1}`) };
  });
  return new TokenKeySet(keys);
}

export function readTokenKeyFile(json: string, source: string): TokenKeyFile {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  const parsed = keyFileSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${source} is not a token key file: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** The key set at `now`: active keys first (newest first, the first issues), then keys not active yet. */
export function tokenKeySetAt(file: TokenKeyFile, source: string, now: Date): TokenKeySet {
  const active = (k: TokenKeyFile['keys'][number]) => k.activeFrom === undefined || Date.parse(k.activeFrom) <= now.getTime();
  if (!file.keys.some(active)) throw new Error(`${source}: no key is active yet (every activeFrom lies after ${now.toISOString()})`);
  const ordered = [...file.keys.filter(active), ...file.keys.filter((k) => !active(k))];
  return new TokenKeySet(ordered.map((k) => ({ id: k.id, secret: decodeKey(k.secret, `${source} key ${k.id}`) })));
}

export function parseTokenKeyFile(json: string, source: string, now: Date = new Date()): TokenKeySet {
  return tokenKeySetAt(readTokenKeyFile(json, source), source, now);
}

export function newTokenKeyFile(id = 1): TokenKeyFile {
  return { keys: [{ id, secret: randomBytes(32).toString('base64') }] };
}

export function loadTokenKeys(options: { keysEnv?: string | undefined; keysFile?: string | undefined; defaultFile: string; now?: Date }): TokenKeySet {
  if (options.keysEnv) return parseTokenKeysEnv(options.keysEnv);
  if (options.keysFile) return parseTokenKeyFile(readFileSync(options.keysFile, 'utf8'), options.keysFile, options.now);
  if (!existsSync(options.defaultFile)) {
    mkdirSync(dirname(options.defaultFile), { recursive: true });
    writeFileSync(options.defaultFile, JSON.stringify(newTokenKeyFile(), null, 2), { mode: 0o600, flag: 'wx' });
  }
  return parseTokenKeyFile(readFileSync(options.defaultFile, 'utf8'), options.defaultFile, options.now);
}

function decodeKey(text: string, what: string): Buffer {
  const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  if (key.length !== 32) throw new Error(`${what} must decode to 32 bytes (AES-256), got ${key.length}`);
  return key;
}
