import { describe, expect, it } from 'vitest';
import { EncounterWorkload } from '../../../backend/bench/encounter-workload.js';

const from = new Date('2026-06-01T10:00:00Z');
const to = new Date('2026-06-01T10:50:00Z');
const tokens = Array.from({ length: 1000 }, (_, i) => `token-${i}`);
const deviceOf = new Map(tokens.map((token, i) => [token, i]));

function take(workload: EncounterWorkload, uploads: number) {
  return Array.from({ length: uploads }, () => workload.next());
}

describe('bench:ingest encounter workload', () => {
  it('uploads full batches of a device’s own sightings, never of itself, inside the span', () => {
    const uploads = take(new EncounterWorkload({ tokens, repeatEvery: 5, from, to }), 40);
    for (const upload of uploads) {
      expect(upload.observations).toHaveLength(50);
      for (const o of upload.observations) {
        expect(o.token).not.toBe(tokens[upload.device]);
        expect(Date.parse(o.firstSeen)).toBeGreaterThanOrEqual(from.getTime());
        expect(Date.parse(o.lastSeen)).toBeLessThanOrEqual(to.getTime());
        expect(Date.parse(o.lastSeen)).toBeGreaterThan(Date.parse(o.firstSeen));
      }
    }
  });

  it('reports every encounter from both sides, repeats one in N, and meets no pair twice until N/2 rounds', () => {
    const workload = new EncounterWorkload({ tokens, repeatEvery: 5, from, to });
    const uploads = take(workload, 2000);
    const sightings = new Map<string, number>();
    for (const upload of uploads) {
      for (const o of upload.observations) {
        const seen = deviceOf.get(o.token)!;
        const key = [Math.min(upload.device, seen), Math.max(upload.device, seen)].join('-');
        sightings.set(key, (sightings.get(key) ?? 0) + 1);
      }
    }
    const observations = uploads.length * 50;
    // Distinct pairs are what gets inserted; everything else merges into them.
    const duplicateShare = (observations - sightings.size) / observations;
    expect(duplicateShare).toBeGreaterThan(0.5);
    expect(duplicateShare).toBeLessThan(0.58);
    // Only the last encounters may still sit in a device's unsent buffer: almost every pair is seen 2 or 3 times.
    const counts = [...sightings.values()];
    expect(counts.filter((n) => n >= 2).length / counts.length).toBeGreaterThan(0.95);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    expect(workload.counts.duplicates / workload.counts.observations).toBeCloseTo(1.2 / 2.2, 5);
  });

  it('refuses a population or a span too small to hold its encounters', () => {
    expect(() => new EncounterWorkload({ tokens: ['a', 'b'], repeatEvery: 0, from, to })).toThrow(/3 devices/);
    expect(() => new EncounterWorkload({ tokens, repeatEvery: 0, from, to: new Date(from.getTime() + 60_000) })).toThrow(/12 minutes/);
  });
});
