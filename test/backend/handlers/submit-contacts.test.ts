import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeToken } from '../../../backend/src/domain/tokens/token-encoding.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';
import { handlerClient } from '../../support/handler-client.js';
import { RecordingMetrics } from '../../support/recording-metrics.js';

const OFFICIAL = '+15550000100';
/** Each test's official enrols an authenticator of their own, which works once per account. */
const SECOND_OFFICIAL = '+15550000101';

describe('POST /v1/contacts: what an upload may not do, and what an operator then sees', () => {
  const clock = testClock(new Date());
  let h: Awaited<ReturnType<typeof embeddedServices>>;
  let api: ReturnType<typeof handlerClient>;
  const metrics = new RecordingMetrics();
  beforeAll(async () => {
    h = await embeddedServices({ clock, env: { MAX_UPLOADS_PER_DEVICE_PER_DAY: '10', OFFICIAL_PHONE_NUMBERS: `${OFFICIAL},${SECOND_OFFICIAL}` } });
    api = handlerClient({ ...h.services, metrics }, { totpNow: clock.now });
  });
  afterAll(() => h.close());

  const sighting = (token: string, minutesAgo = 20) => ({ token, firstSeen: new Date(clock.now().getTime() - minutesAgo * 60_000).toISOString(), lastSeen: clock.now().toISOString() });

  it('refuses the uploads of a day beyond the limit with 429 and Retry-After, and counts the refusal and each drop by reason', async () => {
    const reporter = await api.signIn('+15550000001');
    const other = await api.signIn('+15550000002');
    const token = (await api.call('POST /v1/tokens', {}, { authorization: other.authorization })).body.tokens[0].token as string;
    const forged = encodeToken(Buffer.alloc(16, 9));
    const first = await api.call('POST /v1/contacts', { batchId: randomUUID(), observations: [sighting(token), sighting(forged)] }, { authorization: reporter.authorization });
    expect(first).toMatchObject({ status: 202, body: { accepted: 1, dropped: [{ index: 1, reason: 'unknown_token' }] } });
    // A forged token never reaches the queue, so the consumer's metrics cannot count it: the upload does.
    expect(metrics.total('ObservationsDropped', { reason: 'unknown_token' })).toBe(1);
    for (let i = 1; i < 10; i++) {
      expect((await api.call('POST /v1/contacts', { batchId: randomUUID(), observations: [sighting(token)] }, { authorization: reporter.authorization })).status).toBe(202);
    }
    const refused = await api.call('POST /v1/contacts', { batchId: randomUUID(), observations: [sighting(token)] }, { authorization: reporter.authorization });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    const official = await api.signInOfficial(OFFICIAL);
    const stats = (await api.call('GET /v1/admin/stats', undefined, { authorization: official.authorization })).body;
    expect(stats.dropped.today).toMatchObject({ unknown_token: 1, uploads_over_daily_limit: 1 });
    expect(stats.dropped.lastSevenDays).toMatchObject({ unknown_token: 1, uploads_over_daily_limit: 1 });
  });

  it('refuses an upload with a sighting ending beyond the clock skew in the future, and counts the refusal', async () => {
    const reporter = await api.signIn('+15550000003');
    const other = await api.signIn('+15550000004');
    const token = (await api.call('POST /v1/tokens', {}, { authorization: other.authorization })).body.tokens[0].token as string;
    const ahead = { token, firstSeen: clock.now().toISOString(), lastSeen: new Date(clock.now().getTime() + 3_600_000).toISOString() };
    const refused = await api.call('POST /v1/contacts', { batchId: randomUUID(), observations: [sighting(token), ahead] }, { authorization: reporter.authorization });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', details: { issues: [{ path: 'observations.1.lastSeen' }] } });

    const official = await api.signInOfficial(SECOND_OFFICIAL);
    const stats = (await api.call('GET /v1/admin/stats', undefined, { authorization: official.authorization })).body;
    expect(stats.dropped.today).toMatchObject({ uploads_with_future_sightings: 1 });
    expect(stats.dropped.lastSevenDays).toMatchObject({ uploads_with_future_sightings: 1 });
  });

  it("answers which sightings it clipped to the token's window (with the times kept) and which it dropped as outside it", async () => {
    const other = await api.signIn('+15550000004');
    const [issued] = (await api.call('POST /v1/tokens', {}, { authorization: other.authorization })).body.tokens as { token: string; validFrom: string; validUntil: string }[];
    const grace = 15 * 60_000;
    clock.advance(3 * 24 * 60 * 60_000); // the token's window ended days ago
    const reporter = await api.signIn('+15550000003');
    const firstSeen = new Date(Date.parse(issued!.validFrom) + 10 * 60_000).toISOString();
    const runsOnForDays = { token: issued!.token, firstSeen, lastSeen: clock.now().toISOString() };
    const answer = await api.call('POST /v1/contacts', { batchId: randomUUID(), observations: [runsOnForDays, sighting(issued!.token)] }, { authorization: reporter.authorization });
    expect(answer).toMatchObject({
      status: 202,
      body: {
        accepted: 1,
        clipped: [{ index: 0, firstSeen, lastSeen: new Date(Date.parse(issued!.validUntil) + grace).toISOString() }],
        dropped: [{ index: 1, reason: 'outside_window' }],
      },
    });
  });
});
