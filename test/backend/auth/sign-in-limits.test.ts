import { afterEach, describe, expect, it } from 'vitest';
import { embeddedServices, testClock, type TestClock } from '../../support/embedded-services.js';
import { handlerClient } from '../../support/handler-client.js';

const HOUR = 3_600_000;

describe('sign-in limits', () => {
  let h: Awaited<ReturnType<typeof embeddedServices>> | undefined;
  afterEach(() => h?.close());
  const start = async (env: Record<string, string> = {}, clock: TestClock = testClock(new Date(Math.floor(Date.now() / HOUR) * HOUR))) => {
    h = await embeddedServices({ clock, env });
    return { clock, from: (sourceIp: string) => handlerClient(h!.services, { sourceIp }) };
  };
  const phone = (i: number) => `+1555${String(2_000_000 + i).padStart(7, '0')}`;

  it('answers 429 with Retry-After and the JSON error body after 3 SMS to one number in 15 minutes, from any address', async () => {
    const { from } = await start();
    for (let i = 0; i < 3; i++) expect((await from(`203.0.113.${i}`).call('POST /v1/auth/sms', { phoneNumber: phone(1) })).status).toBe(202);
    const refused = await from('203.0.113.9').call('POST /v1/auth/sms', { phoneNumber: phone(1) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(refused.body).toEqual({
      error: { code: 'rate_limited', message: expect.any(String), details: { limit: 'sms_per_number_15min', retryAfterSeconds: Number(refused.headers['retry-after']) } },
    });
  });

  it('limits SMS per client address, but not from loopback (the load tool signs thousands of numbers in)', async () => {
    const { from } = await start({ SIGN_IN_SMS_PER_ADDRESS_PER_HOUR: '5' });
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.7').call('POST /v1/auth/sms', { phoneNumber: phone(i) })).status).toBe(202);
    const refused = await from('203.0.113.7').call('POST /v1/auth/sms', { phoneNumber: phone(5) });
    expect(refused.body.error.details.limit).toBe('sms_per_address_hour');
    for (const loopback of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      for (let i = 0; i < 6; i++) expect((await from(loopback).call('POST /v1/auth/sms', { phoneNumber: phone(100 + i + loopback.length * 10) })).status).toBe(202);
    }
  });

  it('exempts no address with SIGN_IN_UNLIMITED_ADDRESSES=none (behind a reverse proxy on the same host)', async () => {
    const { from } = await start({ SIGN_IN_SMS_PER_ADDRESS_PER_HOUR: '1', SIGN_IN_UNLIMITED_ADDRESSES: 'none' });
    expect((await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(1) })).status).toBe(202);
    expect((await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(2) })).status).toBe(429);
  });

  it('keeps a global SMS budget per hour, and a new hour brings a new budget', async () => {
    const { from, clock } = await start({ SMS_BUDGET_PER_HOUR: '3' });
    for (let i = 0; i < 3; i++) expect((await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(i) })).status).toBe(202);
    const refused = await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(9) });
    expect(refused.body.error.details.limit).toBe('sms_budget_hour');
    clock.advance(Number(refused.headers['retry-after']) * 1000);
    expect((await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(9) })).status).toBe(202);
  });

  it('sends SMS only to allowed calling codes', async () => {
    const { from } = await start({ SMS_ALLOWED_CALLING_CODES: '44,353' });
    expect((await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: '+447700900123' })).status).toBe(202);
    const refused = await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: '+15550000001' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('phone_number_not_supported');
  });

  it('limits code answers per address and makes a number wait longer after each wrong code beyond five', async () => {
    const { from, clock } = await start({ SIGN_IN_VERIFY_PER_ADDRESS_PER_HOUR: '100' });
    const sms = (await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(1) })).body;
    const wrong = String((Number(sms.devCode) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.1').call('POST /v1/auth/verify', { challengeId: sms.challengeId, code: wrong })).status).toBe(401);
    const again = (await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(1) })).body;
    const waits = [];
    for (let i = 0; i < 3; i++) {
      const blocked = await from('203.0.113.1').call('POST /v1/auth/verify', { challengeId: again.challengeId, code: wrong });
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.details.limit).toBe('wrong_code_backoff');
      waits.push(Number(blocked.headers['retry-after']));
      clock.advance(waits.at(-1)! * 1000);
      expect((await from('203.0.113.1').call('POST /v1/auth/verify', { challengeId: again.challengeId, code: wrong })).status).toBe(401);
    }
    expect(waits).toEqual([30, 60, 120]);
    // Waiting is not guessing: the right code still works once the wait is over.
    clock.advance(240_000);
    const third = (await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(1) })).body;
    expect((await from('203.0.113.1').call('POST /v1/auth/verify', { challengeId: third.challengeId, code: third.devCode })).status).toBe(200);
  });

  it('refuses code answers from one address past its hourly limit', async () => {
    const { from } = await start({ SIGN_IN_VERIFY_PER_ADDRESS_PER_HOUR: '2' });
    const sms = (await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(1) })).body;
    for (let i = 0; i < 2; i++) await from('203.0.113.5').call('POST /v1/auth/verify', { challengeId: sms.challengeId, code: '000000' });
    const refused = await from('203.0.113.5').call('POST /v1/auth/verify', { challengeId: sms.challengeId, code: sms.devCode });
    expect(refused.status).toBe(429);
    expect(refused.body.error.details.limit).toBe('verify_per_address_hour');
  });

  it('answers an exhausted challenge with 429 and Retry-After', async () => {
    const { from } = await start();
    const sms = (await from('127.0.0.1').call('POST /v1/auth/sms', { phoneNumber: phone(1) })).body;
    const wrong = String((Number(sms.devCode) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) await from('127.0.0.1').call('POST /v1/auth/verify', { challengeId: sms.challengeId, code: wrong });
    const exhausted = await from('127.0.0.1').call('POST /v1/auth/verify', { challengeId: sms.challengeId, code: sms.devCode });
    expect(exhausted.status).toBe(429);
    expect(Number(exhausted.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
