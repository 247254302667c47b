import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptContactBatch } from '../../../backend/src/application/accept-contact-batch.js';
import { issueVerificationCode } from '../../../backend/src/application/issue-verification-code.js';
import { reportInfection } from '../../../backend/src/application/report-infection.js';
import { windowContaining } from '../../../backend/src/domain/tokens/token-window.js';
import { encodeToken } from '../../../backend/src/domain/tokens/token-encoding.js';
import { makeProcessContactBatches } from '../../../backend/src/handlers/process-contact-batches.js';
import { minutesBefore, NOW } from '../../support/builders.js';
import { embeddedServices, lambdaContext, testClock } from '../../support/embedded-services.js';

/**
 * In AWS the infection report and the queue consumer run in different Lambda instances, each
 * with its own in-memory exposure index. A contact with the index case that the consumer
 * stores before it has seen the case must still lead to a notification once it refreshes.
 */
describe('exposure across separate instances', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    closers.length = 0;
  });

  it('notifies a contact stored before the consumer learned of the case, once it refreshes', async () => {
    const clock = testClock(NOW);
    const api = await embeddedServices({ clock, env: { SETS_REFRESH_SECONDS: '30' } });
    const consumer = await embeddedServices({ clock, env: { SETS_REFRESH_SECONDS: '30' }, dataDir: api.dataDir });
    closers.push(() => api.close(), () => consumer.close(false));
    const a = api.services;

    const x = await a.devices.ensureDevice('subject-x', NOW);
    const f = await a.devices.ensureDevice('subject-f', NOW);
    const consume = makeProcessContactBatches(consumer.services);
    const drain = async () => {
      const messages = await consumer.services.embeddedQueue.receive(10);
      const records = messages.map((m) => ({ messageId: m.messageId, body: m.body, attributes: { ApproximateReceiveCount: '1' } }) as SQSRecord);
      return consume({ Records: records }, lambdaContext());
    };
    await drain(); // the consumer loads its (empty) index now

    const { code } = await issueVerificationCode({ devices: a.devices, ttlMs: 3_600_000, clock: clock.now }, 'official');
    const reported = await reportInfection(
      { devices: a.devices, index: a.exposureIndex, tracer: a.tracer, policy: a.config.exposurePolicy, clock: clock.now },
      x,
      code,
      undefined,
    );
    expect(reported.notified).toBe(0);

    const xToken = encodeToken(a.cipher.issue(x.number, windowContaining(minutesBefore(30), a.config.tokenTtlMinutes)));
    await acceptContactBatch({ queue: a.queue, clock: clock.now }, f, randomUUID(), [
      { token: xToken, firstSeen: minutesBefore(30), lastSeen: minutesBefore(1), rssi: -60 },
    ]);
    await drain();
    expect(await a.notifier.listFor(f.number)).toEqual([]); // not yet: the consumer's index predates the case

    clock.advance(31_000);
    await drain(); // refresh: the case is new to this instance, so it traces it
    const notified = await a.notifier.listFor(f.number);
    expect(notified).toHaveLength(1);
    expect(notified[0]).toMatchObject({ degree: 1, caseId: reported.caseId });

    clock.advance(31_000);
    await drain();
    expect(await a.notifier.listFor(f.number)).toHaveLength(1);
  });
});
