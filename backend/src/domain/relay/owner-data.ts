import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Owners' phone numbers are stored sealed (AES-256-GCM, the device id as associated data, so a
 * sealed number cannot be moved to another device's record), and compared only through keyed
 * hashes: a leaked table reveals neither the numbers nor, by brute force over the small space of
 * numbers, which records share one.
 */
export function sealOwnerPhone(key: Buffer, deviceId: string, phone: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(deviceId));
  const ct = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url');
}

export function openOwnerPhone(key: Buffer, deviceId: string, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(Buffer.from(deviceId));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
}

/** A stable, unlinkable label for `kind:value` (a phone number, a relay's account, a device id). */
export function keyedLabel(key: Buffer, kind: string, value: string, bytes = 16): string {
  return createHmac('sha256', key).update(`${kind}:${value}`).digest().subarray(0, bytes).toString('base64url');
}
