import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { TokenWindow } from '../ports/token-api.js';

/**
 * What provisioning leaves on a dedicated device (`<data-dir>/provisioning.json`, 0600): its id
 * and Ed25519 key, its bundle of future tokens, and the backend's keys: the X25519 key its
 * batches are sealed to and the Ed25519 key acknowledgements are signed with. A firmware keeps the
 * same in its protected flash; nothing here ever leaves the device but the public key.
 */
const b64 = z.string().regex(/^[A-Za-z0-9_-]+$/);
const schema = z.object({
  version: z.literal(1),
  deviceId: z.uuid(),
  signingKey: b64.length(43),
  publicKey: b64.length(43),
  tokens: z.array(z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{22}$/), validFrom: z.number().int(), validUntil: z.number().int() })),
  backend: z.object({ batchKeyId: z.number().int().min(0).max(255), batchPublicKey: b64.length(43), ackPublicKey: b64.length(43) }),
  provisionedAt: z.number().int(),
});

export type DeviceCredentialsFile = z.infer<typeof schema>;

export interface DeviceCredentials {
  deviceId: string;
  signingKey: Buffer;
  publicKey: Buffer;
  tokens: TokenWindow[];
  backend: { batchKeyId: number; batchPublicKey: Buffer; ackPublicKey: Buffer };
  provisionedAt: number;
}

export const PROVISIONING_FILE = 'provisioning.json';
/** The device's relay batch store (SQLite, WAL), beside its provisioning file. */
export const DEVICE_STORE_FILE = 'device.db';

export function loadDeviceCredentials(path: string): DeviceCredentials {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the provisioning file (${(error as Error).message}); run \`npm run provision\` first`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a provisioning file: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const f = parsed.data;
  const bytes = (s: string) => Buffer.from(s, 'base64url');
  return {
    deviceId: f.deviceId,
    signingKey: bytes(f.signingKey),
    publicKey: bytes(f.publicKey),
    tokens: f.tokens,
    backend: { batchKeyId: f.backend.batchKeyId, batchPublicKey: bytes(f.backend.batchPublicKey), ackPublicKey: bytes(f.backend.ackPublicKey) },
    provisionedAt: f.provisionedAt,
  };
}

export function saveDeviceCredentials(path: string, c: DeviceCredentials): void {
  const file: DeviceCredentialsFile = {
    version: 1,
    deviceId: c.deviceId,
    signingKey: c.signingKey.toString('base64url'),
    publicKey: c.publicKey.toString('base64url'),
    tokens: c.tokens,
    backend: { batchKeyId: c.backend.batchKeyId, batchPublicKey: c.backend.batchPublicKey.toString('base64url'), ackPublicKey: c.backend.ackPublicKey.toString('base64url') },
    provisionedAt: c.provisionedAt,
  };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
