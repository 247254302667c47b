import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import type { RelayKeys } from '../../domain/relay/relay-keys.js';
import { x25519PublicFromPrivate } from '../../domain/relay/relay-seal.js';
import { ed25519PrivateKey, rawPrivateKey, rawPublicKey } from '../../domain/relay/relay-signatures.js';

/**
 * Relay keys come, in order of precedence, from RELAY_KEYS (the JSON itself, as a Secrets
 * Manager secret is injected), from the file RELAY_KEYS_FILE, or from DATA_DIR/relay-keys.json,
 * which the embedded default creates on first start. Keys are base64url of 32 raw bytes.
 */
const key32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes');
const relayKeyFileSchema = z.object({
  batchKeys: z
    .array(z.object({ id: z.number().int().min(0).max(255), privateKey: key32 }))
    .min(1)
    .meta({ description: 'X25519 keys batches are sealed to, newest first' }),
  ackSigningKey: key32.meta({ description: 'Ed25519 seed that signs acknowledgements' }),
  ownerDataKey: key32.meta({ description: 'AES-256 key sealing owners’ phone numbers; HMAC key for their hashes' }),
});

export type RelayKeyFile = z.infer<typeof relayKeyFileSchema>;

export function newRelayKeyFile(id = 1): RelayKeyFile {
  return {
    batchKeys: [{ id, privateKey: rawPrivateKey(generateKeyPairSync('x25519').privateKey).toString('base64url') }],
    ackSigningKey: randomBytes(32).toString('base64url'),
    ownerDataKey: randomBytes(32).toString('base64url'),
  };
}

export async function parseRelayKeyFile(json: string, source: string): Promise<RelayKeys> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  const parsed = relayKeyFileSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${source} is not a relay key file: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const { batchKeys, ackSigningKey, ownerDataKey } = parsed.data;
  if (new Set(batchKeys.map((k) => k.id)).size !== batchKeys.length) throw new Error(`${source}: batch key ids must be distinct`);
  const keyring = new Map(batchKeys.map((k) => [k.id, Buffer.from(k.privateKey, 'base64url')]));
  const newest = batchKeys[0]!;
  const ack = ed25519PrivateKey(Buffer.from(ackSigningKey, 'base64url'));
  return {
    batchKeyring: keyring,
    newestBatchKey: { id: newest.id, publicKey: await x25519PublicFromPrivate(keyring.get(newest.id)!) },
    ackSigningKey: ack,
    ackPublicKey: rawPublicKey(ack),
    ownerDataKey: Buffer.from(ownerDataKey, 'base64url'),
  };
}

export async function loadRelayKeys(options: { keysEnv?: string | undefined; keysFile?: string | undefined; defaultFile: string }): Promise<RelayKeys> {
  if (options.keysEnv) return parseRelayKeyFile(options.keysEnv, 'RELAY_KEYS');
  if (options.keysFile) return parseRelayKeyFile(readFileSync(options.keysFile, 'utf8'), options.keysFile);
  if (!existsSync(options.defaultFile)) {
    mkdirSync(dirname(options.defaultFile), { recursive: true });
    writeFileSync(options.defaultFile, JSON.stringify(newRelayKeyFile(), null, 2), { mode: 0o600, flag: 'wx' });
  }
  return parseRelayKeyFile(readFileSync(options.defaultFile, 'utf8'), options.defaultFile);
}
