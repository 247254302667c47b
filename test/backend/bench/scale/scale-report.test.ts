import { describe, expect, it } from 'vitest';
import { latencySummary } from '../../../../backend/bench/scale/measure-notifications.js';
import { limitSentence, scaleHtml, scaleTable } from '../../../../backend/bench/scale/scale-report.js';
import type { LevelResult, ScaleResult } from '../../../../backend/bench/scale/scale-result.js';
import { sizingLimit } from '../../../../backend/bench/scale/sizing-limit.js';

function levelAt(storedContacts: number, k: number): LevelResult {
  return {
    level: storedContacts,
    storedContacts,
    devices: Math.round(storedContacts / 1050),
    usersForContacts: storedContacts / 1050,
    fill: { contactsAdded: storedContacts, encounters: storedContacts, seconds: 10 * k, indexBuildSeconds: 2 * k, cpuSeconds: 9 * k, contactsPerSecond: 61_000 - 1000 * k },
    countSeconds: 0.1 * k,
    inserts: {
      uploads: 4000,
      observationsAccepted: 200_000,
      observationsDropped: 0,
      acceptSeconds: 4,
      consumeSeconds: 10,
      contactsInserted: 100_000,
      observationsMerged: 100_000,
      contactsPerSecond: 9_000 - 1_111 * k,
      observationsPerSecond: 18_000 - 2_222 * k,
      cpuMicrosecondsPerObservation: 40,
      duplicateShare: 0.5,
      left: { backlog: 0, inFlight: 0, deadLettered: 0 },
    },
    tracing: { contactsOfCase: 100, seconds: 1.25 * k, firstPollSeconds: 0.05, tasks: 1700, polls: 18, warningsByDegree: { '1': 100, '2': 1500 } },
    tracingSeconds: [1.25 * k, 1.1 * k, 1.3 * k],
    tracingCounted: {
      contactsOfCase: 100,
      seconds: 1.5 * k,
      firstPollSeconds: 0.06,
      tasks: 1700,
      polls: 18,
      warningsByDegree: { '1': 100, '2': 1500 },
      statements: { select: 3000 + k, insert: 900, update: 20, delete: 0, other: 400, queries: 3920 + k },
    },
    notifications: { latencyMs: { calls: 300, p50: 0.75 * k, p90: 1.5 * k, p99: 7.25 * k, max: 20 }, warmupCalls: 50, failures: 0, meanWarnings: 2 },
    disk: { databaseBytes: storedContacts * 300, walBytes: 4_000_000, otherBytes: 40_000, bytesPerContact: 300.1 },
    loadAverage: [1, 1, 1],
  };
}

const levels = [levelAt(1_050_000, 1), levelAt(10_500_000, 2), levelAt(52_500_000, 3)];
const result: ScaleResult = {
  benchmark: 'scale',
  at: '2026-12-02T08:00:00.000Z',
  command: 'npm run bench:scale -- --levels 1.05M,10.5M,52.5M',
  machine: { cpus: 2, node: 'v20.20.2', memoryBytes: 24e9, loadAverageAtStart: [1.5, 1, 1], loadAverageAtEnd: [2, 1, 1] },
  settings: { levels: levels.map((l) => l.level), days: 21, uploads: 4000, polls: 300, seed: 1, fillCacheMb: 1024, contactsPerCase: 100 },
  levels,
  skipped: [{ level: 100_000_000, reason: 'needs ~37.5 GB more, 20.0 GB free' }],
  limit: sizingLimit(
    levels.map((l) => ({ storedContacts: l.storedContacts, observationsPerSecond: l.inserts.observationsPerSecond, tracingSeconds: l.tracing.seconds, notificationsP99Ms: l.notifications.latencyMs.p99, bytesOnDisk: l.disk.databaseBytes + l.disk.walBytes })),
    21,
  ),
};

describe('bench:scale report', () => {
  it('prints one row per level with the figures it was given', () => {
    const lines = scaleTable(result).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/stored\s+users\s+fill\/s\s+insert\/s\s+obs\/s\s+need\/s\s+trace s\s+queries\s+poll p50\s+poll p99\s+DB\+WAL GB\s+B\/contact/);
    expect(lines[3]!.trim().split(/\s{2,}/)).toEqual(['52,500,000', '50,000', '58,000', '5,667', '11,334', '115.7', '3.75', '3,923', '2.25 ms', '21.75 ms', '15.75', '300']);
  });

  it('states the limit in users and days', () => {
    expect(limitSentence(result.limit)).toBe(
      'The embedded default met every criterion up to 52,500,000 stored contacts = 1,050,000 user-days of the design’s 50 contacts each (150,000 users × 7 days, 75,000 users × 14 days, 50,000 users × 21 days). Every criterion held up to the largest size measured, so the limit is at least 52,500,000 contacts; beyond it is unmeasured.'.replace('’', "'"),
    );
  });

  it('draws the page offline: the figures, five charts with a point per level, no script or remote asset', () => {
    const html = scaleHtml(result);
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(5);
    for (const title of ['Insert rate at size: the consumer, its users&#39; need, the bulk fill', 'Tracing one case with 100 contacts', 'SQL statements of one case', 'GET /v1/notifications latency, one call at a time', 'Size on disk']) {
      expect(html).toContain(`aria-label="${title}"`);
    }
    const seriesPoints = [...html.matchAll(/data-series="([^"]+)" data-points="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(seriesPoints.length).toBeGreaterThanOrEqual(16);
    for (const [, points] of seriesPoints) expect(points).toBe(3);
    for (const figure of ['52,500,000', '5,667', '11,334', '115.7', '3.75 (3.75, 3.30, 3.90)', '3,923', '2.25 / 21.75', '15.75', '58,000 (30 s)', 'met']) expect(html).toContain(figure);
    expect(html).toContain('Not measured: 100,000,000 contacts (needs ~37.5 GB more, 20.0 GB free).');
    expect(html).toContain('limit is at least 52,500,000 contacts');
  });

  it('marks a level that failed a criterion', () => {
    const failing = { ...result, limit: { ...result.limit, verdicts: result.limit.verdicts.map((v, i) => (i === 2 ? { ...v, failed: ['notifications' as const] } : v)) } };
    expect(scaleHtml(failing)).toContain('failed: notifications');
  });
});

describe('latency summary', () => {
  it('takes nearest-rank percentiles of the calls', () => {
    const values = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(latencySummary(values)).toEqual({ calls: 200, p50: 100, p90: 180, p99: 198, max: 200 });
    expect(latencySummary([3.14159])).toEqual({ calls: 1, p50: 3.142, p90: 3.142, p99: 3.142, max: 3.142 });
  });
});
