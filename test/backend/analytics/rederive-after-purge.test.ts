import ngeohash from 'ngeohash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveRecords } from '../../../backend/src/application/analytics/derive-records.js';
import type { CaseRecord, NotificationRecord } from '../../../backend/src/domain/analytics/records.js';
import { analyticsJobDeps } from '../../../backend/src/handlers/analytics-handlers.js';
import { makePurgeExpiredData } from '../../../backend/src/handlers/operations-handlers.js';
import { DAY, NOW } from '../../support/builders.js';
import { testClock } from '../../support/embedded-services.js';
import { embeddedWorldBackend, TracingWorld, type WorldBackend } from '../../support/tracing-world.js';

/**
 * The scheduled job re-derives a warning's record while its follow-up runs (15 days after issue)
 * and a case's while it is in the window (14 days), from the operational stores, whose retention
 * (21 days for contacts and warnings) drops what the first derivation read: the whereabouts of the
 * week before the warning, the warning that made a case's infector. A record derived again must
 * keep what it was given from them, not what is left.
 */
describe('re-deriving analytics records after the operational stores forgot their inputs (embedded)', { timeout: 120_000 }, () => {
  const clock = testClock(NOW);
  const place = { lat: 52.52, lon: 13.4 };
  let backend: WorldBackend;
  let world: TracingWorld;
  const at = (days: number) => clock.advance(NOW.getTime() + days * DAY - clock.now().getTime());
  /** The job as the local stack's timer runs it: over ANALYTICS_WINDOW_DAYS, after the retention purge. */
  const scheduledRun = async () => {
    await makePurgeExpiredData(backend.services)();
    const deps = analyticsJobDeps(backend.services);
    await deriveRecords(deps, new Date(clock.now().getTime() - deps.config.windowMs));
  };
  const warningRecords = async () => {
    const out: NotificationRecord[] = [];
    for await (const page of backend.services.analytics.notificationPages(NOW.getTime() - 30 * DAY, NOW.getTime() + 60 * DAY)) out.push(...page);
    return out;
  };
  const caseOf = async (reportedAt: number): Promise<CaseRecord | undefined> => (await backend.services.analytics.casesBetween(reportedAt, reportedAt + 1))[0];

  beforeAll(async () => {
    backend = await embeddedWorldBackend(clock, {});
    world = new TracingWorld(backend, clock);
  });
  afterAll(() => backend?.close());

  it("keeps a warning's region and a case's infectors that the first derivation found", async () => {
    // Day 0: A and B meet for 40 minutes at the place. Day 5: B reports, A is warned.
    await world.upload('A', [{ of: 'B', from: 100, to: 60, location: place }]);
    await world.upload('B', [{ of: 'A', from: 100, to: 60, location: place }]);
    await world.settle();
    at(5);
    const bCase = await world.report('B');
    await world.settle();
    expect((await world.warnings('A')).map((w) => w.caseId)).toEqual([bCase]);
    await scheduledRun();
    const cell = ngeohash.encode(place.lat, place.lon, 5);
    expect((await warningRecords()).map((r) => r.region)).toEqual([cell]);

    // Day 15: A falls ill and reports; its case names B's as its candidate infector.
    at(15);
    await world.report('A');
    await world.settle();
    await scheduledRun();
    const aCaseAt = clock.now().getTime();
    const infectors = (await caseOf(aCaseAt))!.infectors;
    expect(infectors).toHaveLength(1);

    // Day 22: the meeting's contacts are past their 21 days; A's warning is held and still followed up.
    at(22);
    await scheduledRun();
    expect(await backend.services.contacts.contactsOf([(await world.device('A')).number], new Date(NOW.getTime() - DAY))).toEqual([]);
    expect(await world.warnings('A')).toHaveLength(1);
    expect((await warningRecords()).map((r) => r.region)).toEqual([cell]);

    // Day 27: the ledger has dropped the warning (21 days); A's case (12 days old) is re-derived.
    at(27);
    await scheduledRun();
    expect(await world.warnings('A')).toEqual([]);
    expect((await caseOf(aCaseAt))!.infectors).toEqual(infectors);
  });
});
