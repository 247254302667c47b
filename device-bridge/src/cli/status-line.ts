import type { BridgeStats } from '../core/bridge.js';

/** Tracks sightings/s between two status ticks and renders the one-line summary. */
export class StatusLine {
  private lastSightings = 0;
  private lastAt = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.lastAt = now();
  }

  snapshot(stats: BridgeStats) {
    const now = this.now();
    const rate = (stats.sightings - this.lastSightings) / Math.max((now - this.lastAt) / 1000, 0.001);
    this.lastSightings = stats.sightings;
    this.lastAt = now;
    return {
      tokens: stats.tokens,
      currentTokenUntil: stats.currentTokenUntil === undefined ? null : new Date(stats.currentTokenUntil).toISOString(),
      address: stats.address ?? null,
      sightingsPerSecond: Math.round(rate * 10) / 10,
      sightings: stats.sightings,
      cached: stats.cached,
      outbox: stats.outbox,
      malformed: stats.malformed,
      lastUploadAt: stats.lastUploadAt === undefined ? null : new Date(stats.lastUploadAt).toISOString(),
      lastUploadError: stats.lastUploadError ?? null,
      droppedByBackend: stats.droppedByBackend,
    };
  }

  static render(s: ReturnType<StatusLine['snapshot']>, now = Date.now()): string {
    const ago = s.lastUploadAt === null ? 'never' : `${Math.round((now - Date.parse(s.lastUploadAt)) / 1000)}s ago`;
    return [
      `tokens ${s.tokens}${s.address ? ` @${s.address}` : ' (not advertising)'}`,
      `${s.sightingsPerSecond} sightings/s`,
      `cached ${s.cached}`,
      `outbox ${s.outbox.pendingObservations} obs/${s.outbox.batches} batches${s.outbox.dead ? `/${s.outbox.dead} dead` : ''}`,
      `last upload ${ago}`,
      droppedText(s.droppedByBackend),
      s.lastUploadError ? `error: ${s.lastUploadError.slice(0, 60)}` : '',
    ]
      .filter(Boolean)
      .join(' | ');
  }
}

/** `dropped 3 (unknown_token 2, outside_window 1)`: what the backend accepted but did not keep. */
function droppedText(dropped: Readonly<Record<string, number>> | undefined): string {
  const entries = Object.entries(dropped ?? {}).filter(([, n]) => n > 0);
  if (entries.length === 0) return '';
  const total = entries.reduce((a, [, n]) => a + n, 0);
  return `dropped ${total} (${entries.map(([reason, n]) => `${reason} ${n}`).join(', ')})`;
}
