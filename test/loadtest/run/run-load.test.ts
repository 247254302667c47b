import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadResult } from '../../../loadtest/src/report/load-result.js';
import { writeReport } from '../../../loadtest/src/report/write-report.js';
import { runLoad } from '../../../loadtest/src/run/run-load.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { smokeOptions } from '../support/smoke-options.js';

const OFFICIAL = '+447700900001';
/** --out of every run here: where the official's session would be kept (each test's fake API is new). */
const RUNS = mkdtempSync(join(tmpdir(), 'loadtest-runs-'));
afterAll(() => rmSync(RUNS, { recursive: true, force: true }));
const quiet = { update: () => {}, stop: () => {} };

const options = (url: string, extra: Record<string, unknown> = {}) => smokeOptions(url, OFFICIAL, RUNS, extra);

describe('Function: runLoad against a fake API', () => {
  let api: FakeApi;
  let result: LoadResult;

  beforeAll(async () => {
    api = await startFakeApi({ officialPhone: OFFICIAL });
    result = await runLoad(options(api.url), { progress: quiet, log: () => {} });
  });
  afterAll(() => api.stop());

  it('exercises every endpoint of the smoke scenario without failures or drops', () => {
    expect(result.endpoints.map((e) => e.name)).toEqual(
      expect.arrayContaining(['POST /v1/tokens', 'POST /v1/contacts', 'GET /v1/notifications', 'POST /v1/admin/verification-codes', 'POST /v1/infections']),
    );
    expect(result.totals.failed).toBe(0);
    expect(result.totals.dropped + result.totals.abandoned).toBe(0);
    expect(result.totals.completed).toBe(result.totals.offered);
  });

  it('observes only real tokens inside their validity windows', () => {
    expect(result.population.stats.encounters).toBeGreaterThan(0);
    expect(api.counts.unknownTokens).toBe(0);
    expect(api.counts.outOfWindow).toBe(0);
  });

  it('reports the same batch and observation counts the server processed', () => {
    const { before, after } = result.server;
    expect(result.contacts.batches).toBeGreaterThan(0);
    expect(after!.batchesProcessed - before!.batchesProcessed).toBe(result.contacts.batches);
    expect(after!.observationsProcessed - before!.observationsProcessed).toBe(result.contacts.observations);
    expect(result.contacts.reportedAccepted).toBe(result.contacts.observations);
    expect(result.server.drainSeconds).not.toBeNull();
  });

  it('keeps time-series counts consistent with the totals', () => {
    for (const e of result.endpoints) {
      const fromSlices = result.timeSeries.reduce((n, s) => n + (s.endpoints[e.name]?.completed ?? 0), 0);
      expect(fromSlices).toBe(e.completed);
    }
  });

  it('writes a JSON result and a self-contained HTML report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadtest-report-'));
    try {
      const files = writeReport(result, dir);
      expect(JSON.parse(readFileSync(files.json, 'utf8')).contacts).toEqual(result.contacts);
      const html = readFileSync(files.html, 'utf8');
      expect(html).toContain('<svg');
      expect(html).not.toMatch(/<script|<link|<img|src=/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Function: runLoad when the server is slower than the schedule', () => {
  it.each([
    [2, 10],
    [4, 5],
  ])('with %i requests in flight and a backlog of %i, excess requests are dropped and counted, never lost', async (maxInFlight, maxBacklog) => {
    const api = await startFakeApi({ officialPhone: OFFICIAL, latencyMs: 200 });
    try {
      const r = await runLoad(options(api.url, { 'max-in-flight': String(maxInFlight), 'max-backlog': String(maxBacklog), duration: '1s', devices: '6' }), { progress: quiet, log: () => {} });
      expect(r.totals.dropped).toBeGreaterThan(0);
      expect(r.totals.completed + r.totals.dropped + r.totals.abandoned + r.totals.unfinished).toBe(r.totals.offered);
      const contacts = r.endpoints.find((e) => e.name === 'POST /v1/contacts');
      expect(contacts?.latencyMs.p50 ?? 200).toBeGreaterThanOrEqual(200);
    } finally {
      await api.stop();
    }
  });
});

describe('Function: runLoad with access tokens that expire during the run', () => {
  it('renews every session before its token expires, so no request meets a 401', async () => {
    // Token time is a wall clock that moves 1 s each time the session keeper pauses between its checks,
    // and only then. A 4 s token is due at half-life, two checks before the fake API refuses it, however
    // slowly this machine runs; without renewal every session expires inside the 5 s run.
    let wallMs = 1_800_000_000_000;
    const sessionClock = {
      now: () => wallMs,
      pause: async (ms: number) => {
        await delay(ms);
        wallMs += ms;
      },
    };
    const api = await startFakeApi({ officialPhone: OFFICIAL, issueRefreshTokens: true, accessTokenTtlSeconds: 4, authNow: () => wallMs });
    try {
      const r = await runLoad(options(api.url, { duration: '5s', devices: '6' }), { progress: quiet, log: () => {}, sessionClock });
      expect(r.totals.failed).toBe(0);
      expect(r.sessions.refreshFailures).toBe(0);
      expect(r.sessions.refreshed).toBeGreaterThanOrEqual(7);
      expect(api.counts.refreshes).toBe(r.sessions.refreshed);
    } finally {
      await api.stop();
    }
  });
});

describe('Function: runLoad when the official’s quota of verification codes runs out', () => {
  it('counts the 429s as failures and says in a note which server settings to raise', async () => {
    const api = await startFakeApi({ officialPhone: OFFICIAL, verificationCodeQuota: 0 });
    try {
      const r = await runLoad(options(api.url, { duration: '5s' }), { progress: quiet, log: () => {} });
      const codes = r.endpoints.find((e) => e.name === 'POST /v1/admin/verification-codes')!;
      const refused = codes.statusCodes['429'] ?? 0;
      expect(refused).toBeGreaterThan(0);
      expect(r.totals.failed).toBe(refused);
      expect(r.notes).toContain(
          `${refused} × POST /v1/admin/verification-codes answered 429: the official's quota of verification codes is spent: raise the server's VERIFICATION_CODES_PER_OFFICIAL_PER_HOUR and …_PER_DAY (20 and 100 by default) for load runs.`,
      );
    } finally {
      await api.stop();
    }
  });
});
