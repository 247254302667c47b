import { describe, expect, it } from 'vitest';
import { computeEpidemiology } from '../../../backend/src/application/analytics/compute-epidemiology.js';
import { describeKeptWeeks } from '../../../backend/src/application/analytics/week-inputs.js';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import type { FigureView } from '../../../backend/src/domain/analytics/figure-views.js';
import { figureId, type FigureDocument, type RegionWeekFigures } from '../../../backend/src/domain/analytics/figures.js';
import type { ActivityRecord, CaseRecord, EncounterRecord, NotificationRecord } from '../../../backend/src/domain/analytics/records.js';
import type { AnalyticsStore } from '../../../backend/src/ports/analytics-store.js';
import { DAY } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

/** Monday 2026-11-16 and the week after. */
const W1 = Date.UTC(2026, 10, 16);
const W2 = W1 + 7 * DAY;

export const aCaseRecord = (id: string, device: string, reportedAt: number, extra: Partial<CaseRecord> = {}): CaseRecord => ({
  id,
  device,
  reportedAt,
  week: reportedAt - ((reportedAt - W1) % (7 * DAY)),
  region: 'u33db',
  infectors: [],
  ...extra,
});
export const aNotification = (id: string, device: string, issuedAt: number): NotificationRecord => ({
  id,
  device,
  degree: 1,
  issuedAt,
  week: W1,
  exposedAt: issuedAt - DAY,
  region: 'u33db',
  isolationEndsAt: issuedAt + 9 * DAY,
  followedUpTo: issuedAt,
});
const mondayOf = (t: number) => t - ((((t - W1) % (7 * DAY)) + 7 * DAY) % (7 * DAY));
export const anEncounter = (id: string, low: string, high: string, day: number): EncounterRecord => ({
  id,
  deviceLow: low,
  deviceHigh: high,
  day,
  week: mondayOf(day),
  region: 'u33db',
  encounters: 1,
  minutes: 20,
  weightedMinutes: 20,
  minutesImmediate: 0,
  minutesNear: 20,
  minutesMedium: 0,
  minutesOther: 0,
  minutesUnknown: 0,
  durationBucket: '15-30',
  proximity: 'near',
  qualifying: true,
});
export const anActivity = (id: string, device: string, day: number): ActivityRecord => ({ id, device, day, week: mondayOf(day), region: 'u33db', uploads: 2, observations: 9, lastUploadAt: day + 3600_000 });
const figure = (week: number, region: string, extra: Partial<RegionWeekFigures> = {}): FigureDocument => ({
  id: figureId('region-week', week, region),
  kind: 'region-week',
  weekStart: week,
  region,
  computedAt: W2,
  provisional: false,
  suppressed: [],
  ...extra,
});
const byRegion: FigureView = { id: 'v', title: 't', description: '', question: 'where', chart: 'bar', kind: 'region-week', regions: 'each', groupBy: ['weekStart', 'region'], metrics: [{ field: 'newCases', label: 'Cases' }, { field: 'rRenewal', label: 'R' }] };

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** The AnalyticsStore contract: the embedded file and the search engines answer alike. */
export function describeAnalyticsStoreContract(name: string, make: () => Promise<AdapterHarness<AnalyticsStore>>): void {
  describe(`AnalyticsStore contract: ${name}`, () => {
    let store: AnalyticsStore;
    useFreshAdapter(make, (adapter) => (store = adapter));

    it('upserts records by id and reads them back by time and by device pseudonym', async () => {
      await store.putCases([aCaseRecord('c1', 'd1', W1 + DAY), aCaseRecord('c2', 'd2', W1 + 2 * DAY, { infectors: ['c1'], symptomOnsetDay: W1 })]);
      await store.putCases([aCaseRecord('c1', 'd1', W1 + DAY, { previousCaseAt: W1 - 200 * DAY })]);
      expect(await store.casesBetween(W1, W2)).toEqual([
        aCaseRecord('c1', 'd1', W1 + DAY, { previousCaseAt: W1 - 200 * DAY }),
        aCaseRecord('c2', 'd2', W1 + 2 * DAY, { infectors: ['c1'], symptomOnsetDay: W1 }),
      ]);
      expect((await store.casesOfDevices(['d2', 'other'])).map((c) => c.id)).toEqual(['c2']);
      expect(await store.casesBetween(W2, W2 + 7 * DAY)).toEqual([]);
    });

    it('pages warnings, encounters and activity of a period', async () => {
      await store.putNotifications([aNotification('n1', 'd1', W1 + DAY), aNotification('n2', 'd2', W2 + DAY)]);
      await store.putEncounters([anEncounter('e1', 'd1', 'd2', W1), anEncounter('e2', 'd1', 'd3', W2)]);
      await store.putActivity([anActivity('a1', 'd1', W1), anActivity('a2', 'd1', W2)]);
      expect((await all(store.notificationPages(W1, W2))).map((n) => n.id)).toEqual(['n1']);
      expect(await all(store.encounterPages(W1, W2))).toEqual([anEncounter('e1', 'd1', 'd2', W1)]);
      expect(await all(store.activityPages(W2, W2 + DAY))).toEqual([anActivity('a2', 'd1', W2)]);
    });

    it('replaces the figures of recomputed weeks and answers a view as max per bucket, absent figures as null', async () => {
      await store.replaceFigures([W1, W2], [figure(W1, 'u33db', { newCases: 12 }), figure(W1, 'u33dc', { suppressed: ['newCases'] }), figure(W1, 'all', { newCases: 15 }), figure(W2, 'u33db', { newCases: 20, rRenewal: 1.25 })]);
      await store.replaceFigures([W2], [figure(W2, 'u33db', { newCases: 21, rRenewal: 1.3 })]);
      expect((await store.figures(W1, W2 + 7 * DAY)).map((d) => d.id).sort()).toEqual([figureId('region-week', W1, 'all'), figureId('region-week', W1, 'u33db'), figureId('region-week', W1, 'u33dc'), figureId('region-week', W2, 'u33db')].sort());
      expect(await store.viewRows(byRegion, W1, W2 + 7 * DAY)).toEqual([
        { weekStart: W1, region: 'u33db', values: { newCases: 12, rRenewal: null } },
        { weekStart: W1, region: 'u33dc', values: { newCases: null, rRenewal: null } },
        { weekStart: W2, region: 'u33db', values: { newCases: 21, rRenewal: 1.3 } },
      ]);
      expect(await store.viewRows({ ...byRegion, regions: 'all', groupBy: ['weekStart'] }, W1, W2)).toEqual([{ weekStart: W1, values: { newCases: 15, rRenewal: null } }]);
    });

    it('erases every record that names a pseudonym, in each index by its own pseudonyms', async () => {
      await store.putCases([aCaseRecord('c1', 'case-d1', W1)]);
      await store.putNotifications([aNotification('n1', 'warn-d1', W1), aNotification('n2', 'warn-d2', W1)]);
      await store.putEncounters([anEncounter('e1', 'enc-d2', 'enc-d1', W1), anEncounter('e2', 'enc-d2', 'enc-d3', W1)]);
      await store.putActivity([anActivity('a1', 'act-d1', W1)]);
      const deleted = await store.deleteMentioning({ cases: ['case-d1'], notifications: ['warn-d1'], encounters: ['enc-d1'], activity: ['act-d1', 'warn-d2'] });
      expect(deleted).toBe(4);
      expect(await store.counts()).toEqual({ cases: 0, notifications: 1, encounters: 1, activity: 0, figures: 0 });
    });

    it("purges each index by its own retention, from each record's own time", async () => {
      const old = W1 - 100 * DAY;
      await store.putCases([aCaseRecord('c-old', 'd', old), aCaseRecord('c-new', 'd', W1)]);
      await store.putNotifications([aNotification('n-old', 'd', old), aNotification('n-new', 'd', W1)]);
      await store.putEncounters([anEncounter('e-old', 'a', 'b', old), anEncounter('e-new', 'a', 'b', W1)]);
      await store.replaceFigures([W1], [figure(W1, 'all', { newCases: 1 })]);
      const retention = { cases: 400 * DAY, notifications: 90 * DAY, encounters: 28 * DAY, activity: 90 * DAY, figures: 730 * DAY };
      expect(await store.purge(W1 + DAY, retention)).toEqual({ cases: 0, notifications: 1, encounters: 1, activity: 0, figures: 0 });
      expect(await store.counts()).toEqual({ cases: 2, notifications: 1, encounters: 1, activity: 0, figures: 1 });
    });

    it('leaves a week whose encounter records are past retention as published when the job recomputes it', async () => {
      const config = loadBackendConfig({ LOG_LEVEL: 'SILENT' });
      const jobAt = (t: number) => ({ analytics: store, config: config.analytics, exposure: config.exposurePolicy, clock: () => new Date(t) });
      // Week W1: 12 pairs of 24 people met, one pair a day; five weeks later 15 pairs of 30 people.
      const later = W1 + 35 * DAY;
      const week = (start: number, pairs: number, tag: string) => ({
        encounters: Array.from({ length: pairs }, (_, i) => anEncounter(`${tag}-e${i}`, `${tag}-a${i}`, `${tag}-b${i}`, start + (i % 7) * DAY)),
        activity: Array.from({ length: 2 * pairs }, (_, i) => anActivity(`${tag}-act${i}`, `${tag}-${i % 2 === 0 ? 'a' : 'b'}${Math.floor(i / 2)}`, start + (Math.floor(i / 2) % 7) * DAY)),
      });
      for (const w of [week(W1, 12, 'w1'), week(later, 15, 'w6')]) {
        await store.putEncounters(w.encounters);
        await store.putActivity(w.activity);
      }
      const followedUp = 23 * DAY; // a week plus its follow-up (incubation 14 d, late data 1 d): final
      const first = await computeEpidemiology(jobAt(W1 + followedUp), new Date(W1));
      const published = await store.figures(W1, W1 + 7 * DAY);
      const all = (docs: FigureDocument[]) => docs.find((d) => d.id === figureId('region-week', d.weekStart, 'all')) as RegionWeekFigures;
      expect(all(published)).toMatchObject({ weekStart: W1, encounters: 12, activeDevices: 24, provisional: false });

      // 58 days on, the purge has dropped W1's encounters (28 days), not its activity (90 days).
      const now = later + followedUp;
      const purged = await store.purge(now, config.analytics.retention);
      expect(purged.encounters).toBe(12);
      expect(purged.activity).toBe(0);
      const second = await computeEpidemiology(jobAt(now), new Date(W1));
      expect(await store.figures(W1, W1 + 7 * DAY)).toEqual(published);
      expect(all(await store.figures(later, later + 7 * DAY))).toMatchObject({ weekStart: later, encounters: 15, activeDevices: 30, computedAt: now });
      // And the job says which weeks it left. It reaches back a follow-up (15 d) before `since`, to
      // W1 − 21 d; those weeks and the empty ones up to 28 days back are kept, the recent ones recomputed.
      expect(first.kept.map((k) => k.week)).toEqual([W1 - 21 * DAY, W1 - 14 * DAY, W1 - 7 * DAY]);
      expect(first.weeks[0]).toBe(W1);
      expect(second.kept.map((k) => k.week)).toEqual(Array.from({ length: 8 }, (_, i) => W1 + (i - 3) * 7 * DAY));
      expect(second.kept.every((k) => k.expired.join() === 'encounters')).toBe(true);
      expect(second.weeks[0]).toBe(later);
      expect(describeKeptWeeks(second.kept)).toBe('8 weeks (2026-10-26 to 2026-12-14) left as published: their encounter records are past retention, recomputing would undercount');
    });
  });
}
