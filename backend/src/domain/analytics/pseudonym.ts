import { createHmac } from 'node:crypto';

/**
 * The analytics indices, each with its own pseudonym keys: a device has unrelated pseudonyms in
 * each, so the indices cannot be joined on a person.
 */
export const ANALYTICS_FAMILIES = ['cases', 'notifications', 'encounters', 'activity'] as const;
export type AnalyticsFamily = (typeof ANALYTICS_FAMILIES)[number];

/** One key per family and ISO week: the key of one weekly index, deleted when that index expires. */
export interface PseudonymKey {
  family: AnalyticsFamily;
  /** Monday 00:00 UTC of the week the key serves (epoch ms). */
  week: number;
  secret: Uint8Array;
}

/**
 * The keyed hash (HMAC-SHA256, first 128 bits, base64url) that stands for a device, a case or a
 * warning in one analytics index. Without the key it can be neither computed from the device
 * number nor reversed; a tag keeps pseudonyms of different kinds of things apart.
 */
export function pseudonym(key: PseudonymKey, kind: 'device' | 'case' | 'notification' | 'encounter' | 'activity', value: string | number): string {
  return createHmac('sha256', key.secret).update(`${key.family}\u0000${kind}\u0000${value}`).digest().subarray(0, 16).toString('base64url');
}
