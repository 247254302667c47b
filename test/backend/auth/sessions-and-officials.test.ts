import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embeddedServices, testClock, type TestClock } from '../../support/embedded-services.js';
import { handlerClient } from '../../support/handler-client.js';

const OFFICIAL = '+15550000100';
const HOUR = 3_600_000;

describe('sessions and officials (embedded)', () => {
  let h: Awaited<ReturnType<typeof embeddedServices>>;
  let clock: TestClock;
  let api: ReturnType<typeof handlerClient>;
  beforeEach(async () => {
    clock = testClock(new Date());
    h = await embeddedServices({ clock, env: { OFFICIAL_PHONE_NUMBERS: OFFICIAL, VERIFICATION_CODES_PER_OFFICIAL_PER_HOUR: '3' } });
    api = handlerClient(h.services, { totpNow: clock.now });
  });
  afterEach(() => h.close());

  const refresh = (refreshToken: string) => api.call('POST /v1/auth/refresh', { refreshToken });

  it('refreshes an expired access token without SMS, rotating the refresh token each time', async () => {
    const session = await api.signIn('+15550000001');
    expect(session.expiresIn).toBe(3600);
    clock.advance(HOUR + 10_000);
    expect((await api.call('GET /v1/notifications', undefined, { authorization: session.authorization })).status).toBe(401);
    const next = await refresh(session.refreshToken);
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(session.refreshToken);
    expect((await api.call('GET /v1/notifications', undefined, { authorization: `Bearer ${next.body.accessToken}` })).status).toBe(200);
    const third = await refresh(next.body.refreshToken);
    expect(third.status).toBe(200);
    expect(third.body.refreshExpiresAt).toBe(session.refreshExpiresAt);
  });

  it('revokes the whole family when a refresh token is used twice', async () => {
    const session = await api.signIn('+15550000002');
    const next = (await refresh(session.refreshToken)).body;
    const replay = await refresh(session.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('refresh_token_reused');
    // The thief's replay also ends the legitimate holder's session: it must sign in again.
    expect((await refresh(next.refreshToken)).body.error.code).toBe('refresh_token_invalid');
  });

  it('lets only one of two concurrent refreshes with the same token win, and revokes the family', async () => {
    const session = await api.signIn('+15550000003');
    const [a, b] = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a : b;
    expect((await refresh(winner.body.refreshToken)).status).toBe(401);
  });

  it('ends sessions at their absolute lifetime and after erasure', async () => {
    const session = await api.signIn('+15550000004');
    clock.advance(90 * 24 * HOUR + 1000);
    expect((await refresh(session.refreshToken)).body.error.code).toBe('refresh_token_invalid');
    clock.advance(-(90 * 24 * HOUR + 1000));
    const other = await api.signIn('+15550000005');
    expect((await api.call('DELETE /v1/me', undefined, { authorization: other.authorization })).status).toBe(200);
    expect((await refresh(other.refreshToken)).body.error.code).toBe('refresh_token_invalid');
  });

  it.each([['garbage'], ['rt1.AAAAAAAAAAAAAAAAAAAAAA.1.' + 'A'.repeat(43)]])('refuses a malformed or unknown refresh token (%s)', async (token) => {
    const response = await refresh(token);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('refresh_token_invalid');
  });

  it('gives officials a quota of verification codes and audits each one: who, when, how many, nothing more', async () => {
    const official = await api.signInOfficial(OFFICIAL);
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await api.call('POST /v1/admin/verification-codes', {}, { authorization: official.authorization }));
    expect(codes.map((c) => c.status)).toEqual([201, 201, 201, 429]);
    expect(codes[3]!.body.error.details.limit).toBe('verification_codes_per_official_hour');
    expect(Number(codes[3]!.headers['retry-after'])).toBeGreaterThan(0);
    const subject = (await h.services.identity.verifyAccessToken(official.accessToken)).subject;
    const entries = await h.services.audit.listFor(subject, new Date(0));
    expect(entries).toEqual([1, 2, 3].map((countToday) => ({ actor: subject, action: 'verification_code_issued', at: clock.now(), countToday })));
    expect(JSON.stringify(entries)).not.toContain(codes[0]!.body.code);
  });

  it('stops an official whose role is removed within a minute', async () => {
    const official = await api.signInOfficial(OFFICIAL);
    const stats = () => api.call('GET /v1/admin/stats', undefined, { authorization: official.authorization });
    expect((await stats()).status).toBe(200);
    await h.services.identity.removeOfficialRole(OFFICIAL);
    clock.advance(60_000);
    const refused = await stats();
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });

  it('never grants the officials role through the device sign-in', async () => {
    const device = await api.signIn(OFFICIAL);
    const refused = await api.call('GET /v1/admin/stats', undefined, { authorization: device.authorization });
    expect(refused.status).toBe(403);
  });
});
