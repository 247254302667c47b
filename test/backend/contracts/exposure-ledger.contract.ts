import { describe, expect, it } from 'vitest';
import type { InfectionCase } from '../../../backend/src/domain/exposure/infection-case.js';
import type { DeadLetters } from '../../../backend/src/ports/dead-letters.js';
import type { ExposureLedger } from '../../../backend/src/ports/exposure-ledger.js';
import type { InfectionReports } from '../../../backend/src/ports/infection-reports.js';
import type { KeyedTask, TracingOutbox } from '../../../backend/src/ports/tracing-outbox.js';
import { aState, DAY, defaultPolicy, MIN, minutesBefore, NOW } from '../../support/builders.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

/** The ledger, the reports and the tracing outbox share their storage: one harness for the three. */
export interface TracingStores {
  ledger: ExposureLedger;
  reports: InfectionReports;
  outbox: TracingOutbox;
  /** Where the outbox's dead-lettered tasks are listed for an operator (`npm run dead-letters`). */
  deadLetters: DeadLetters;
  /** The tasks queued and not yet run, oldest first, as the tracer would receive them. */
  waitingTasks(): Promise<KeyedTask[]>;
  /** The tracer fails every waiting task on each attempt, until the outbox has dead-lettered them all. */
  failAllUntilDeadLettered(): Promise<void>;
}

const policy = defaultPolicy();
const aCase = (id: string, device: number, reportedAt = NOW): InfectionCase => ({
  id,
  device,
  reportedAt,
  infectiousFrom: minutesBefore(2 * 24 * 60, reportedAt),
  infectiousUntil: new Date(reportedAt.getTime() + 10 * DAY),
});
const indexOf = (c: InfectionCase) => ({ caseId: c.id, device: c.device, degree: 0, exposedAt: c.infectiousFrom.getTime(), until: c.infectiousUntil.getTime() });
const code = (hash: string, expiresAt = new Date(NOW.getTime() + DAY)) => ({ codeHash: hash, issuedBy: 'official', issuedAt: NOW, expiresAt });
const kinds = (tasks: KeyedTask[]) => tasks.map((t) => t.task.kind);

export function describeTracingStoresContract(name: string, make: () => Promise<AdapterHarness<TracingStores>>): void {
  describe(`ExposureLedger, InfectionReports and TracingOutbox contract: ${name}`, () => {
    let s: TracingStores;
    useFreshAdapter(make, (adapter) => (s = adapter));

    it('keeps the Pareto front of each (case, device) and queues a spread task for each new state that can spread', async () => {
      const changes = await s.ledger.record([aState(5, 1, 100), aState(5, 2, 500), aState(6, 2, 50)], policy, NOW);
      expect(changes.added).toHaveLength(3);
      expect(await s.ledger.record([aState(5, 2, 400), aState(5, 1, 100)], policy, NOW)).toEqual({ added: [], events: [] });
      expect((await s.ledger.statesOf([5, 6, 7])).sort((a, b) => a.device - b.device || a.degree - b.degree)).toEqual([aState(5, 1, 100), aState(5, 2, 500), aState(6, 2, 50)]);
      // Degree 2 is the last notified degree with 1/3 and 0.1: it passes nothing on.
      const spreads = (await s.waitingTasks()).filter((t) => t.task.kind === 'spread');
      expect(spreads.map((t) => (t.task.kind === 'spread' ? t.task.state : undefined))).toEqual([aState(5, 1, 100)]);
    });

    it('issues one warning per (case, device) and raises it, with a deliver task each time, when a shorter chain appears', async () => {
      const first = await s.ledger.record([aState(5, 2, 500)], policy, NOW);
      expect(first.events).toEqual([expect.objectContaining({ kind: 'issued', notification: expect.objectContaining({ degree: 2, device: 5 }) })]);
      const later = new Date(NOW.getTime() + MIN);
      const raised = await s.ledger.record([aState(5, 1, 100)], policy, later);
      expect(raised.events).toEqual([expect.objectContaining({ kind: 'raised', previousDegree: 2 })]);
      const [warning] = await s.ledger.notificationsFor(5);
      expect(warning).toEqual({ ...first.events[0]!.notification, degree: 1, probability: raised.events[0]!.notification.probability, exposedAt: minutesBefore(100), updatedAt: later });
      expect(await s.ledger.notificationsFor(6)).toEqual([]);
      expect(kinds(await s.waitingTasks()).filter((k) => k === 'deliver')).toHaveLength(2);
      expect(await s.ledger.stats()).toEqual({ notifications: 1, raised: 1 });
    });

    it('keeps warnings of different cases apart', async () => {
      await s.ledger.record([aState(5, 1, 100, 'c1'), aState(5, 1, 100, 'c2')], policy, NOW);
      expect((await s.ledger.notificationsFor(5)).map((n) => n.caseId).sort()).toEqual(['c1', 'c2']);
    });

    it('reports an infection atomically: code redeemed, case saved, index state recorded, spread queued', async () => {
      await s.reports.saveVerificationCode(code('h1'));
      const c = aCase('case-a', 9);
      expect(await s.reports.report('h1', c, indexOf(c), NOW)).toEqual({ outcome: 'created', case: c });
      expect(await s.ledger.statesOf([9])).toEqual([indexOf(c)]);
      expect((await s.waitingTasks()).map((t) => t.task)).toEqual([{ kind: 'spread', state: indexOf(c) }]);
      expect(await s.ledger.notificationsFor(9)).toEqual([]);
      expect(await s.reports.stats()).toEqual({ cases: 1 });
    });

    it('returns the same case to the same device retrying with the same code, and refuses it to anyone else', async () => {
      await s.reports.saveVerificationCode(code('h1'));
      const c = aCase('case-a', 9);
      await s.reports.report('h1', c, indexOf(c), NOW);
      const retry = aCase('case-b', 9);
      expect(await s.reports.report('h1', retry, indexOf(retry), NOW)).toEqual({ outcome: 'existing', case: c });
      const other = aCase('case-c', 10);
      expect(await s.reports.report('h1', other, indexOf(other), NOW)).toEqual({ outcome: 'used' });
      expect(await s.reports.stats()).toEqual({ cases: 1 });
      expect(await s.ledger.statesOf([10])).toEqual([]);
    });

    it('redeems a code once when reports race', async () => {
      await s.reports.saveVerificationCode(code('h1'));
      const outcomes = await Promise.all([1, 2, 3, 4, 5].map((d) => s.reports.report('h1', aCase(`case-${d}`, d), indexOf(aCase(`case-${d}`, d)), NOW)));
      expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'used')).toHaveLength(4);
    });

    it.each([
      ['unknown', 'nope', NOW],
      ['expired', 'h1', new Date(NOW.getTime() + 2 * DAY)],
    ])('says a code is %s', async (outcome, hash, at) => {
      await s.reports.saveVerificationCode(code('h1'));
      const c = aCase('case-a', 9, at);
      expect(await s.reports.report(hash, c, indexOf(c), at)).toEqual({ outcome });
    });

    it('keeps the first acknowledgement of a warning, also through a raise, and only for its own device', async () => {
      await s.ledger.record([aState(5, 2, 100, 'case-a')], policy, NOW);
      const [warning] = await s.ledger.notificationsFor(5);
      expect(await s.ledger.acknowledge(6, warning!.id, NOW)).toBeUndefined();
      expect(await s.ledger.acknowledge(5, 'no-such-warning', NOW)).toBeUndefined();
      const first = minutesBefore(10);
      expect(await s.ledger.acknowledge(5, warning!.id, first)).toEqual(first);
      expect(await s.ledger.acknowledge(5, warning!.id, NOW)).toEqual(first);
      await s.ledger.record([aState(5, 1, 50, 'case-a')], policy, NOW);
      expect(await s.ledger.notificationsFor(5)).toMatchObject([{ id: warning!.id, degree: 1, acknowledgedAt: first }]);
    });

    it('lists every warning held, across devices and cases, a page at a time', async () => {
      await s.ledger.record([aState(5, 1, 100, 'case-a'), aState(6, 2, 100, 'case-a'), aState(5, 1, 90, 'case-b')], policy, NOW);
      const all = [];
      for await (const page of s.ledger.allNotifications()) all.push(...page);
      expect(all.map((w) => `${w.caseId}:${w.device}:${w.degree}`).sort()).toEqual(['case-a:5:1', 'case-a:6:2', 'case-b:5:1']);
    });

    it('lists the cases reported in a period', async () => {
      for (const [hash, id, device, at] of [['h1', 'case-a', 9, minutesBefore(3 * 24 * 60)], ['h2', 'case-b', 8, minutesBefore(60)], ['h3', 'case-c', 7, NOW]] as const) {
        await s.reports.saveVerificationCode(code(hash));
        const c = aCase(id, device, at);
        await s.reports.report(hash, c, indexOf(c), at);
      }
      const found = await s.reports.reportedBetween(minutesBefore(24 * 60), NOW);
      expect(found.map((c) => [c.id, c.device])).toEqual([['case-b', 8]]);
      expect(found[0]!.reportedAt).toEqual(minutesBefore(60));
    });

    it('queues a task once per key, also after it ran', async () => {
      const task = { key: 'pair:k:1:2', task: { kind: 'pair' as const, low: 1, high: 2 } };
      await s.outbox.enqueue([task, task]);
      await s.outbox.enqueue([task]);
      expect(await s.waitingTasks()).toEqual([task]);
      expect((await s.outbox.stats()).waiting).toBe(1);
    });

    it('erases a device from states, warnings, cases, codes and waiting tasks', async () => {
      await s.reports.saveVerificationCode(code('h1'));
      const c = aCase('case-a', 9);
      await s.reports.report('h1', c, indexOf(c), NOW);
      await s.ledger.record([aState(5, 1, 100, 'case-a')], policy, NOW);
      await s.outbox.enqueue([{ key: 'pair:k:5:9', task: { kind: 'pair', low: 5, high: 9 } }]);
      expect(await s.ledger.deleteFor(9)).toBe(0);
      expect(await s.reports.deleteFor(9)).toBe(1);
      await s.outbox.deleteFor(9);
      expect(await s.ledger.statesOf([9])).toEqual([]);
      expect(await s.reports.stats()).toEqual({ cases: 0 });
      expect(await s.ledger.deleteFor(5)).toBe(1);
      await s.outbox.deleteFor(5);
      expect(await s.ledger.notificationsFor(5)).toEqual([]);
      expect(await s.waitingTasks()).toEqual([]);
    });

    it('counts dead-lettered tasks, and erases those that name a device', async () => {
      const tasks = [
        { key: 'pair:k:5:9', task: { kind: 'pair' as const, low: 5, high: 9 } },
        { key: 'pair:k:6:7', task: { kind: 'pair' as const, low: 6, high: 7 } },
      ];
      await s.outbox.enqueue(tasks);
      await s.failAllUntilDeadLettered();
      expect(await s.outbox.stats()).toEqual({ waiting: 0, deadLettered: 2 });
      // Each with the tracer's own error as its reason.
      const letters = await s.deadLetters.list(10);
      expect(letters.map((d) => ({ source: d.source, reason: /^failed on attempt (\d+) of \1: the ledger was unavailable$/.test(d.reason) }))).toEqual([
        { source: 'tracing', reason: true },
        { source: 'tracing', reason: true },
      ]);
      await s.outbox.deleteFor(9);
      expect(await s.outbox.stats()).toEqual({ waiting: 0, deadLettered: 1 });
    });

    it('purges old states, warnings, cases and codes', async () => {
      await s.reports.saveVerificationCode(code('old', minutesBefore(60)));
      await s.reports.saveVerificationCode(code('h1'));
      const c = aCase('case-a', 9);
      await s.reports.report('h1', c, indexOf(c), NOW);
      await s.ledger.record([aState(5, 1, 100, 'case-a')], policy, NOW);
      const later = new Date(NOW.getTime() + 31 * DAY);
      expect(await s.ledger.purgeOlderThan(new Date(later.getTime() - 21 * DAY))).toBe(1);
      expect(await s.reports.purge(new Date(later.getTime() - 30 * DAY), minutesBefore(1))).toEqual({ cases: 1, verificationCodes: 1 });
      expect(await s.ledger.statesOf([5, 9])).toEqual([]);
    });
  });
}
