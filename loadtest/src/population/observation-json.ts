import { randomIndex, type Random } from '../scheduler/random.js';
import type { IssuedToken } from './simulated-device.js';

const MAX_DWELL_MS = 10 * 60_000;

/**
 * One observation as the API expects it, serialised directly (no intermediate object): the other device's
 * token, seen for up to ten minutes ending now, never before the token's window opened.
 */
export function observationJson(token: IssuedToken, wallMs: number, random: Random): string {
  const firstSeen = Math.max(token.validFromMs, wallMs - random() * MAX_DWELL_MS);
  const rssi = -40 - randomIndex(random, 50);
  return `{"token":"${token.token}","firstSeen":"${new Date(firstSeen).toISOString()}","lastSeen":"${new Date(wallMs).toISOString()}","rssi":${rssi}}`;
}
