import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../../../backend/src/adapters/sqlite/sqlite-database.js';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import { issueVerificationCode } from '../../../backend/src/application/issue-verification-code.js';
import { reportInfection } from '../../../backend/src/application/report-infection.js';
import { NOW } from '../../support/builders.js';
import { testClock } from '../../support/embedded-services.js';
import { embeddedWorldBackend, TracingWorld, type WorldBackend } from '../../support/tracing-world.js';

/** Makes the `n`th SQL statement prepared-and-run from now on throw, as a crash at that step would stop it. */
function failAtStatement(database: SqliteDatabase, n: number): { restore: () => void; reached: () => boolean } {
  const original = database.statement.bind(database);
  let count = 0;
  let reached = false;
  database.statement = (sql: string) => {
    count++;
    if (count === n) {
      reached = true;
      throw new Error(`injected failure at statement ${n}: ${sql.trim().split('\n')[0]}`);
    }
    return original(sql);
  };
  return { restore: () => (database.statement = original), reached: () => reached };
}

describe('an infection report is atomic and can be retried', () => {
  const clock = testClock(NOW);
  let backend: WorldBackend & { dataDir: string };
  let world: TracingWorld;
  beforeEach(async () => {
    backend = await embeddedWorldBackend(clock, { QUEUE_VISIBILITY_TIMEOUT_SECONDS: '1' });
    world = new TracingWorld(backend, clock);
    await world.upload('A', [{ of: 'X', from: 60, to: 30 }]);
    await world.upload('B', [{ of: 'A', from: 25, to: 5 }]);
    await world.settle();
  });
  afterEach(() => backend.close());

  const services = () => backend.services as EmbeddedServices;
  const code = async () => (await issueVerificationCode({ reports: services().reports, ttlMs: 86_400_000, clock: clock.now }, 'official')).code;
  const report = async (verificationCode: string) =>
    reportInfection({ reports: services().reports, policy: services().config.exposurePolicy, clock: clock.now }, await world.device('X'), verificationCode, undefined);

  it('leaves no case and an unused code when any step of the report fails, and the retry then completes it', async () => {
    for (let step = 1; ; step++) {
      const verificationCode = await code();
      const fault = failAtStatement(services().database, step);
      const failed = await report(verificationCode).then(
        () => false,
        () => true,
      );
      fault.restore();
      if (!fault.reached()) {
        expect(failed).toBe(false); // past the last statement: the report went through
        break;
      }
      expect({ step, failed }).toEqual({ step, failed: true });
      expect({ step, cases: (await services().reports.stats()).cases }).toEqual({ step, cases: 0 });
      expect({ step, waiting: (await services().outbox.stats()).waiting }).toEqual({ step, waiting: 0 });
      const retried = await report(verificationCode);
      expect(retried.created).toBe(true);
      await world.settle();
      expect(await world.degrees(['X', 'A', 'B'])).toEqual({ A: 1, B: 2 });
      // A fresh world per step: erase the case again for the next round.
      await services().reports.deleteFor((await world.device('X')).number);
      await services().ledger.deleteFor((await world.device('A')).number);
      await services().ledger.deleteFor((await world.device('B')).number);
      await services().ledger.deleteFor((await world.device('X')).number);
    }
  });

  it('gives the same case to a retry after the answer was lost', async () => {
    const verificationCode = await code();
    const first = await report(verificationCode);
    const again = await report(verificationCode);
    expect(again).toEqual({ caseId: first.caseId, created: false });
    await world.settle();
    expect((await world.warnings('A')).map((w) => w.caseId)).toEqual([first.caseId]);
  });

  it.each([
    ['reading the contacts', 'contacts' as const],
    ['recording the exposures', 'ledger' as const],
    ['delivering a warning', 'channel' as const],
  ])('finishes tracing when %s fails once: the task is retried, and nobody is warned twice', async (_name, part) => {
    const delivered: string[] = [];
    const s = services();
    // The handlers hold these very objects: patching a method reaches them.
    const deliver = s.channel.deliver.bind(s.channel);
    s.channel.deliver = async (e) => {
      await deliver(e);
      delivered.push(`${e.kind}:${e.notification.id}`);
    };
    const real = { contacts: s.contacts.contactsOf.bind(s.contacts), ledger: s.ledger.record.bind(s.ledger), channel: s.channel.deliver.bind(s.channel) };
    let failures = 0;
    const failOnce =
      <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        failures++ === 0 ? Promise.reject(new Error('injected')) : method(...args);
    if (part === 'contacts') s.contacts.contactsOf = failOnce(real.contacts);
    if (part === 'ledger') s.ledger.record = failOnce(real.ledger);
    if (part === 'channel') s.channel.deliver = failOnce(real.channel);
    await report(await code());
    await world.settle();
    expect(failures).toBeGreaterThan(0);
    clock.advance(1_100); // the failed task's visibility timeout
    await world.settle();
    expect(await world.degrees(['X', 'A', 'B'])).toEqual({ A: 1, B: 2 });
    expect(delivered.filter((d) => d.startsWith('issued'))).toHaveLength(2);
    expect(new Set(delivered).size).toBe(delivered.length);
  });
});
