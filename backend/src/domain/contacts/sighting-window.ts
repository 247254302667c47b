import type { TokenPlaintext } from '../tokens/token-layout.js';
import { windowEnd, windowStart } from '../tokens/token-window.js';
import type { DropReason, Observation } from './observation.js';

export interface SightingRules {
  /** How far outside its window a token may be heard (clock skew, rotation jitter). */
  graceMs: number;
  /** Sightings that ended longer ago than this are useless for tracing (and would outlive retention). */
  maxSightingAgeMs: number;
}

export type SightingCheck =
  | { kept: true; observation: Observation; clipped: boolean }
  | { kept: false; reason: DropReason };

/**
 * Holds an observation to what its token allows: both ends must lie within the token's window
 * widened by the grace, so an observation is clipped to it where it overlaps, and dropped where it
 * lies wholly outside. One overheard token can then back at most one window of contact, never a
 * made-up multi-day encounter.
 */
export function checkSighting(
  observation: Observation,
  token: TokenPlaintext | undefined,
  reporter: number,
  receivedAt: Date,
  rules: SightingRules,
): SightingCheck {
  if (!token) return { kept: false, reason: 'unknown_token' };
  const window = { startMinute: token.windowStartMinute, lengthMinutes: token.windowMinutes };
  const earliest = windowStart(window).getTime() - rules.graceMs;
  const latest = windowEnd(window).getTime() + rules.graceMs;
  const first = observation.firstSeen.getTime();
  const last = observation.lastSeen.getTime();
  if (last < earliest || first > latest) return { kept: false, reason: 'outside_window' };
  const clippedFirst = Math.max(first, earliest);
  const clippedLast = Math.min(last, latest);
  if (clippedLast < receivedAt.getTime() - rules.maxSightingAgeMs) return { kept: false, reason: 'too_old' };
  if (token.device === reporter) return { kept: false, reason: 'self_contact' };
  if (clippedFirst === first && clippedLast === last) return { kept: true, observation, clipped: false };
  return { kept: true, clipped: true, observation: { ...observation, firstSeen: new Date(clippedFirst), lastSeen: new Date(clippedLast) } };
}
