import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendServices } from '../../../backend/src/composition/backend-services.js';
import { NOW } from '../../support/builders.js';
import { testClock } from '../../support/embedded-services.js';
import { embeddedWorldBackend, TracingWorld, type WorldBackend } from '../../support/tracing-world.js';

/** Counts the calls that cost: contact-store reads (search queries in AWS) and ledger writes (warnings). */
function countCosts(s: BackendServices) {
  const counts = { contactReads: 0, ledgerWrites: 0 };
  const contactsOf = s.contacts.contactsOf.bind(s.contacts);
  const contactsBetween = s.contacts.contactsBetween.bind(s.contacts);
  const record = s.ledger.record.bind(s.ledger);
  s.contacts.contactsOf = (...args) => (counts.contactReads++, contactsOf(...args));
  s.contacts.contactsBetween = (...args) => (counts.contactReads++, contactsBetween(...args));
  s.ledger.record = (...args) => (counts.ledgerWrites++, record(...args));
  return counts;
}

describe('tracing work grows with new cases and contacts, not with consumer restarts', () => {
  const clock = testClock(NOW);
  let first: WorldBackend & { dataDir: string };
  let world: TracingWorld;
  beforeAll(async () => {
    first = await embeddedWorldBackend(clock);
    world = new TracingWorld(first, clock);
    await world.upload('A', [{ of: 'X', from: 120, to: 90 }]);
    await world.upload('B', [{ of: 'A', from: 80, to: 50 }]);
    await world.report('X');
    await world.settle();
    expect(await world.degrees(['A', 'B'])).toEqual({ A: 1, B: 2 });
  });
  afterAll(() => first.close());

  it('10 consumer restarts with an open case and spreading warnings read no contacts and write no warnings', async () => {
    for (let restart = 0; restart < 10; restart++) {
      const instance = await embeddedWorldBackend(clock, {}, { dataDir: first.dataDir });
      const costs = countCosts(instance.services);
      const visitor = new TracingWorld(instance, clock);
      await visitor.upload(`C${restart}`, [{ of: `D${restart}`, from: 40, to: 10 }]);
      await visitor.settle();
      expect({ restart, ...costs }).toEqual({ restart, contactReads: 0, ledgerWrites: 0 });
      await instance.close();
    }
  });

  it('a new contact of a spreading device costs one pair task, however many instances ran before', async () => {
    const instance = await embeddedWorldBackend(clock, {}, { dataDir: first.dataDir });
    const costs = countCosts(instance.services);
    const shared = new TracingWorld(instance, clock, world);
    await shared.upload('E', [{ of: 'A', from: 40, to: 10 }]);
    await shared.settle();
    expect(costs).toEqual({ contactReads: 1, ledgerWrites: 1 });
    expect(await shared.degrees(['E'])).toEqual({ E: 2 });
    await instance.close();
  });
});
