import { describe, expect, it } from 'vitest';
import { makePurgeExpiredData } from '../../../backend/src/handlers/operations-handlers.js';
import { aContact, DAY, NOW } from '../../support/builders.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';

describe('purgeExpiredData (retention)', () => {
  it('drops contacts, notifications and token records past retention and keeps the rest', async () => {
    const clock = testClock(NOW);
    const h = await embeddedServices({ clock, env: { RETENTION_DAYS: '21' } });
    try {
      const s = h.services;
      await s.contacts.applyBatch({ batchKey: 'old', contacts: [aContact(1, 2, 60, 30)], observationCount: 1 });
      await s.notifier.deliver([{ id: 'n', caseId: 'c', device: 1, degree: 1, probability: 1 / 3, exposedAt: NOW, issuedAt: NOW }]);
      await s.tokenRegistry.recordIssued([{ device: 1, windowStart: NOW, validUntil: new Date(NOW.getTime() + 3 * 3_600_000), keyId: 1 }]);

      clock.advance(20 * DAY);
      await s.contacts.applyBatch({ batchKey: 'recent', contacts: [aContact(3, 4, 60, 30, { firstSeen: clock.now(), lastSeen: clock.now() })], observationCount: 1 });
      clock.advance(2 * DAY);
      const purged = await makePurgeExpiredData(s)();
      expect(purged).toMatchObject({ contacts: 1, notifications: 1, tokenIssuances: 1 });
      expect((await s.contacts.stats()).contacts).toBe(1);
      expect(await s.notifier.listFor(1)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
