import { describe, expect, it } from 'vitest';
import { StatusLine } from '../../../device-bridge/src/cli/status-line.js';
import type { BridgeStats } from '../../../device-bridge/src/core/bridge.js';

const stats = (over: Partial<BridgeStats> = {}): BridgeStats => ({
  reports: 0, sightings: 0, foreign: 0, malformed: 0, unsupportedVersion: 0, ownEchoes: 0, cached: 0, finished: 0,
  outbox: { pendingObservations: 0, batches: 0, dead: 0 }, tokens: 3, currentToken: undefined, currentTokenUntil: undefined,
  address: undefined, rotations: 0, scanRestarts: 0, lastUploadAt: undefined, lastUploadError: undefined, droppedByBackend: {}, ...over,
});

describe('StatusLine', () => {
  it('computes sightings per second between snapshots', () => {
    let t = 0;
    const line = new StatusLine(() => t);
    t = 2_000;
    expect(line.snapshot(stats({ sightings: 50 })).sightingsPerSecond).toBe(25);
    t = 4_000;
    expect(line.snapshot(stats({ sightings: 60 })).sightingsPerSecond).toBe(5);
  });

  it.each([
    [stats(), 'tokens 3 (not advertising) | 0 sightings/s | cached 0 | outbox 0 obs/0 batches | last upload never'],
    [
      stats({ address: '0a:0b:0c:0d:0e:0f', cached: 7, outbox: { pendingObservations: 3, batches: 1, dead: 2 }, lastUploadAt: 90_000, lastUploadError: 'HTTP 503' }),
      'tokens 3 @0a:0b:0c:0d:0e:0f | 0 sightings/s | cached 7 | outbox 3 obs/1 batches/2 dead | last upload 10s ago | error: HTTP 503',
    ],
    [
      stats({ lastUploadAt: 99_000, droppedByBackend: { unknown_token: 2, outside_window: 1 } }),
      'tokens 3 (not advertising) | 0 sightings/s | cached 0 | outbox 0 obs/0 batches | last upload 1s ago | dropped 3 (unknown_token 2, outside_window 1)',
    ],
  ])('renders one line', (s, expected) => {
    const line = new StatusLine(() => 0);
    expect(StatusLine.render(line.snapshot(s), 100_000)).toBe(expected);
  });
});
