import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import * as z from 'zod';

const storedKeysSchema = z.object({
  kid: z.string(),
  privateJwk: z.record(z.string(), z.unknown()),
  publicJwk: z.record(z.string(), z.unknown()),
  phoneHashSecret: z.string().min(32),
});

export interface LocalIdentityKeys {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK & { kid: string; alg: string; use: string };
  /** HMAC secret: phone numbers are stored only as keyed hashes. */
  phoneHashSecret: Buffer;
}

/** Loads the local provider's signing key from `path`, creating it (mode 0600) on first start. */
export async function loadOrCreateLocalIdentityKeys(path: string): Promise<LocalIdentityKeys> {
  if (!existsSync(path)) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    const stored = {
      kid: randomUUID(),
      privateJwk: await exportJWK(privateKey),
      publicJwk: await exportJWK(publicKey),
      phoneHashSecret: randomBytes(32).toString('base64url'),
    };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
  }
  const stored = storedKeysSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  return {
    kid: stored.kid,
    privateKey: (await importJWK(stored.privateJwk as JWK, 'RS256')) as CryptoKey,
    publicJwk: { ...(stored.publicJwk as JWK), kid: stored.kid, alg: 'RS256', use: 'sig' },
    phoneHashSecret: Buffer.from(stored.phoneHashSecret, 'base64url'),
  };
}
