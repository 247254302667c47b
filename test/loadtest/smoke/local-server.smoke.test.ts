import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLoadOptions } from '../../../loadtest/src/config/load-options.js';
import type { LoadResult } from '../../../loadtest/src/report/load-result.js';
import { writeReport } from '../../../loadtest/src/report/write-report.js';
import { LocalSignUp } from '../../../loadtest/src/auth/local-signup.js';
import { HttpTarget } from '../../../loadtest/src/http/http-target.js';
import { SimulatedDevice } from '../../../loadtest/src/population/simulated-device.js';
import { runLoad } from '../../../loadtest/src/run/run-load.js';
import { ApiClient } from '../../support/api-client.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';

const OFFICIAL = '+447700900001';
const CHECKING_OFFICIAL = '+447700900002';
const RENEWING_OFFICIAL = '+447700900003';

interface Stats {
  queue: { backlog: number; inFlight: number };
  batchesProcessed: number;
  observationsProcessed: number;
  contactsStored: number;
}

/** Reads the server's own counters once its queue is empty (bounded wait). */
async function settledStats(official: ApiClient): Promise<Stats> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { body } = await official.request<Stats>('GET', '/v1/admin/stats');
    if (body.queue.backlog === 0 && body.queue.inFlight === 0) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server queue did not drain within 10 s');
}

describe('Smoke: the 5-second smoke scenario against the real local server', () => {
  let server: LocalServer;
  let outDir: string;
  let report: LoadResult;
  let stored: Stats;

  beforeAll(async () => {
    // Two officials: each signs in once with their own authenticator (a TOTP code works only once).
    // The load tool's one official issues every infection's verification code: lift the per-official quota.
    server = await startLocalServer({
      env: { OFFICIAL_PHONE_NUMBERS: `${OFFICIAL},${CHECKING_OFFICIAL},${RENEWING_OFFICIAL}`, VERIFICATION_CODES_PER_OFFICIAL_PER_HOUR: '10000', VERIFICATION_CODES_PER_OFFICIAL_PER_DAY: '100000' },
    });
    outDir = mkdtempSync(join(tmpdir(), 'loadtest-smoke-'));
    const parsed = parseLoadOptions({ target: server.url, scenario: 'smoke', 'official-phone': OFFICIAL, out: outDir, quiet: true });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const result = await runLoad(parsed.options, { progress: { update: () => {}, stop: () => {} }, log: () => {} });
    const files = writeReport(result, outDir);
    report = JSON.parse(readFileSync(files.json, 'utf8')) as LoadResult;
    const { client } = await new ApiClient(server.url).signInOfficial(CHECKING_OFFICIAL);
    stored = await settledStats(client);
  });

  afterAll(async () => {
    await server?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('ran for five seconds with no failed or dropped requests', () => {
    expect(report.elapsedSeconds).toBeCloseTo(5, 0);
    expect(report.totals.offered).toBeGreaterThan(0);
    expect(report.totals.failed).toBe(0);
    expect(report.totals.dropped + report.totals.abandoned).toBe(0);
  });

  it.each([
    ['batches', (r: LoadResult) => r.contacts.batches, (s: Stats) => s.batchesProcessed],
    ['observations', (r: LoadResult) => r.contacts.observations, (s: Stats) => s.observationsProcessed],
  ])('the report\u2019s accepted %s equal what the server processed', (_name, fromReport, fromServer) => {
    const before = report.server.before as Stats | undefined;
    expect(fromReport(report)).toBeGreaterThan(0);
    expect(fromServer(stored) - (before ? fromServer(before) : 0)).toBe(fromReport(report));
  });

  it('stored contacts between simulated devices, because observations carried their real tokens', () => {
    expect(stored.contactsStored).toBeGreaterThan(0);
    expect(report.population.stats.noValidToken).toBe(0);
  });

  it('renews devices’ and officials’ sessions with POST /v1/auth/refresh, and a renewed official still reads the stats', async () => {
    const target = new HttpTarget(server.url, 2);
    try {
      const signUp = new LocalSignUp(target, RENEWING_OFFICIAL);
      const official = (await signUp.signInOfficial())!;
      const [device] = signUp.logins(1).map((login, i) => new SimulatedDevice(i, login));
      await signUp.signInDevices([device!]);
      for (const session of [official, device!.session]) {
        const before = { access: session.accessToken, refresh: session.refreshToken };
        await signUp.refresh(session);
        expect(session.accessToken).not.toBe(before.access);
        expect(session.refreshToken).not.toBe(before.refresh);
      }
      expect((await target.json('GET', '/v1/admin/stats', undefined, official.authorization)).status).toBe(200);
      expect((await target.json('POST', '/v1/tokens', { count: 1 }, device!.session.authorization)).status).toBe(201);
    } finally {
      await target.close();
    }
  });
});
