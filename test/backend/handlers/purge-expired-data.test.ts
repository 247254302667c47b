import { describe, expect, it } from 'vitest';
import { makePurgeExpiredData } from '../../../backend/src/handlers/operations-handlers.js';
import { aContact, aState, DAY, defaultPolicy, NOW } from '../../support/builders.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';

describe('purgeExpiredData (retention)', () => {
  it('drops contacts, warnings, cases, codes, dead letters and token records past their retention and keeps the rest', async () => {
    const clock = testClock(NOW);
    const h = await embeddedServices({ clock, env: { RETENTION_DAYS: '21' } });
    try {
      const s = h.services;
      await s.contacts.applyBatch({ batchKey: '1:old', reporter: 1, contacts: [aContact(1, 2, 60, 30)], observationCount: 1 });
      await s.ledger.record([aState(1, 1, 60)], defaultPolicy(), NOW);
      await s.tokenRegistry.recordIssued([{ device: 1, windowStart: NOW, validUntil: new Date(NOW.getTime() + 3 * 3_600_000), keyId: 1 }]);
      await s.queue.deadLetter('{}', 'test', 1);

      clock.advance(20 * DAY);
      await s.contacts.applyBatch({ batchKey: '3:recent', reporter: 3, contacts: [aContact(3, 4, -20 * 24 * 60 + 60, -20 * 24 * 60 + 30)], observationCount: 1 });
      clock.advance(2 * DAY);
      const purged = await makePurgeExpiredData(s)();
      expect(purged).toMatchObject({ contacts: 1, notifications: 1, tokenIssuances: 1, deadLetters: 1 });
      expect((await s.contacts.stats()).contacts).toBe(1);
      expect(await s.ledger.notificationsFor(1)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
