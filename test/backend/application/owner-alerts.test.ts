import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OwnerAlertingChannel } from '../../../backend/src/application/relay/owner-alerting-channel.js';
import { OwnerAlerts } from '../../../backend/src/application/relay/owner-alerts.js';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import type { ExposureNotification } from '../../../backend/src/domain/exposure/notification.js';
import type { SmsSender } from '../../../backend/src/ports/sms-sender.js';
import { MIN, NOW } from '../../support/builders.js';
import { embeddedServices, testClock, type TestClock } from '../../support/embedded-services.js';
import { provisionDevice } from '../../support/relay-fixtures.js';

const OWNER = '+15550144001';

/** The SMS port's far side cannot run here: this sender records what would go out (the log adapter is used end to end). */
class RecordingSms implements SmsSender {
  readonly sent: { to: string; text: string }[] = [];
  failNext = false;
  async send(to: string, text: string): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('SNS throttled');
    }
    this.sent.push({ to, text });
  }
}

describe('OwnerAlerts', () => {
  let clock: TestClock;
  let env: Awaited<ReturnType<typeof embeddedServices>>;
  let s: EmbeddedServices;
  let sms: RecordingSms;
  let alerts: OwnerAlerts;

  const notification = async (ownerPhone: string, caseId: string): Promise<ExposureNotification> => {
    const device = await s.relay.registry.find((await provisionDevice(s, ownerPhone)).deviceId);
    return { id: `${caseId}-n`, caseId, device: device!.deviceNumber, degree: 1, probability: 1 / 3, exposedAt: new Date(NOW.getTime() - 60 * MIN), issuedAt: NOW };
  };

  beforeEach(async () => {
    clock = testClock(NOW);
    env = await embeddedServices({ clock });
    s = env.services;
    sms = new RecordingSms();
    alerts = new OwnerAlerts(s.relay.registry, s.relay.ledger, sms, s.relay.keys, clock.now, { limit: { max: 2, windowMs: 24 * 60 * MIN }, retentionMs: s.config.retention.contactsMs });
  });
  afterEach(() => env.close());

  it("texts the owner once per notification, with the exposure's day and nothing about the case", async () => {
    const n = await notification(OWNER, 'case-1');
    expect(await alerts.alert(n)).toBe('send');
    expect(await alerts.alert(n)).toBe('duplicate');
    expect(sms.sent).toEqual([{ to: OWNER, text: expect.stringContaining(`(on ${n.exposedAt.toISOString().slice(0, 10)})`) }]);
    expect(sms.sent[0]!.text).not.toContain('case-1');
  });

  it('limits the SMS per number, also across devices registered to it, so that registrations cannot flood a number', async () => {
    const outcomes = [];
    for (const caseId of ['a', 'b', 'c']) outcomes.push(await alerts.alert(await notification(OWNER, caseId)));
    outcomes.push(await alerts.alert(await notification('+15550144002', 'c')));
    expect(outcomes).toEqual(['send', 'send', 'rate_limited', 'send']);
    clock.advance(24 * 60 * MIN + 1);
    expect(await alerts.alert(await notification(OWNER, 'd'))).toBe('send');
    expect(await s.relay.ledger.stats()).toEqual({ sent: 4, rateLimited: 1, failed: 0 });
  });

  it('ignores notifications of phones and bridges, and counts an SMS that could not be sent', async () => {
    expect(await alerts.alert({ id: 'x', caseId: 'c', device: 12345, degree: 1, probability: 0.3, exposedAt: NOW, issuedAt: NOW })).toBe('not_dedicated');
    sms.failNext = true;
    expect(await alerts.alert(await notification(OWNER, 'e'))).toBe('failed');
    expect(await s.relay.ledger.stats()).toMatchObject({ failed: 1 });
  });

  it('fails the delivery when the SMS fails, so that the tracing task is retried and its retry sends the SMS once', async () => {
    const n = await notification(OWNER, 'retried');
    const inner: unknown[] = [];
    const channel = new OwnerAlertingChannel({ deliver: async (e) => void inner.push(e) }, alerts);
    sms.failNext = true;
    await expect(channel.deliver({ kind: 'issued', notification: n })).rejects.toThrow(/retried/);
    await channel.deliver({ kind: 'issued', notification: n });
    await channel.deliver({ kind: 'issued', notification: n });
    expect(sms.sent).toHaveLength(1);
    expect(await s.relay.ledger.stats()).toEqual({ sent: 1, rateLimited: 0, failed: 0 });
  });

  it("is wired to the warning channel: a warning of a dedicated device, issued then raised, reaches the SMS port once", async () => {
    const n = await notification(OWNER, 'wired');
    const logged: unknown[] = [];
    const original = s.logger.info.bind(s.logger);
    s.logger.info = ((message: string, ...rest: unknown[]) => {
      if (message === 'SMS (local stack: not sent)') logged.push(rest[0]);
      return original(message, ...(rest as []));
    }) as typeof s.logger.info;
    await s.channel.deliver({ kind: 'issued', notification: n });
    await s.channel.deliver({ kind: 'raised', notification: { ...n, degree: 1, updatedAt: NOW }, previousDegree: 2 });
    expect(logged).toEqual([expect.objectContaining({ to: '+15***01' })]);
  });
});
