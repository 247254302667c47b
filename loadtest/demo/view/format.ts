import type { EncounterFacts } from '../backend/case-explanation.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Tue 14:20" in UTC, the town's time zone. */
export function townClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${DAYS[d.getUTCDay()]} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-GB');
}

/** "1:05" (minutes:seconds) or "1:02:05". */
export function wallDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function minutesText(minutes: number): string {
  if (minutes < 90) return `${Math.round(minutes)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}

const BUCKET_NAMES = ['immediate', 'near', 'medium', 'far', 'unmeasured'];

/** "22 min near, 3 min medium = 23.5 weighted min". */
export function encounterText(e: EncounterFacts): string {
  const parts = e.minutesByBucket.map((m, i) => (m >= 0.5 ? `${minutesText(m)} ${BUCKET_NAMES[i]}` : undefined)).filter((p) => p !== undefined);
  return `${parts.join(', ') || 'a moment'} = ${e.weightedMinutes.toFixed(1)} weighted min`;
}

export function probabilityText(p: number): string {
  return p >= 0.095 ? p.toFixed(2) : p.toFixed(3);
}
