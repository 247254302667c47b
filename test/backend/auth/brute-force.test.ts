import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedServices, testClock, type TestClock } from '../../support/embedded-services.js';
import { handlerClient, type HandlerResponse } from '../../support/handler-client.js';

const DAY = 86_400_000;
const DAYS = 7;
const VICTIM = '+15550004242';

/**
 * An attacker guessing one number's SMS code as fast as the limits let them: a fresh client
 * address for every request (a botnet, so no per-address limit binds), each Retry-After obeyed to
 * the second on an injected clock, a week long. Every guess is wrong (the true code is never
 * tried), so the count is the attempt rate the limits allow.
 */
describe('brute force against one number', () => {
  let h: Awaited<ReturnType<typeof embeddedServices>>;
  let clock: TestClock;
  const outcome = { guesses: 0, smsSent: 0, refusals: 0 };

  beforeAll(async () => {
    // From a UTC midnight, so the week spans exactly seven of the limits' day windows.
    clock = testClock(new Date(Math.floor(Date.now() / DAY) * DAY));
    h = await embeddedServices({ clock });
    let address = 0;
    const attacker = () => handlerClient(h.services, { sourceIp: `198.51.${(address >> 8) & 255}.${address++ & 255}` });
    const end = clock.now().getTime() + DAYS * DAY;
    const wait = (r: HandlerResponse) => {
      outcome.refusals++;
      clock.advance(Number(r.headers['retry-after']) * 1000);
    };
    while (clock.now().getTime() < end) {
      const sms = await attacker().call('POST /v1/auth/sms', { phoneNumber: VICTIM });
      if (sms.status === 429) {
        wait(sms);
        continue;
      }
      outcome.smsSent++;
      const { challengeId, devCode } = sms.body as { challengeId: string; devCode: string };
      for (let guess = 0; clock.now().getTime() < end; guess++) {
        const code = String((Number(devCode) + 1 + guess) % 1_000_000).padStart(6, '0');
        const answer = await attacker().call('POST /v1/auth/verify', { challengeId, code });
        if (answer.status === 401) outcome.guesses++;
        else if (answer.status === 429 && answer.body.error.code === 'rate_limited') wait(answer);
        else break; // exhausted, expired or gone: a new challenge
      }
    }
  }, 120_000);
  afterAll(() => h.close());

  it('is held to at most 16 wrong codes per number and day', () => {
    const perDay = outcome.guesses / DAYS;
    const expectedGuesses = 1_000_000; // one in a million per guess, codes fresh per challenge
    const years = expectedGuesses / perDay / 365;
    console.log(
      `brute force, one number, ${DAYS} simulated days: ${outcome.guesses} guesses (${perDay.toFixed(1)}/day), ${outcome.smsSent} SMS, ${outcome.refusals} 429s; ` +
        `expected time to take the number over ≈ ${Math.round(years)} years (50 % chance after ≈ ${Math.round((years * Math.LN2))} years)`,
    );
    expect(perDay).toBeLessThanOrEqual(16);
    expect(perDay).toBeGreaterThan(10); // the limits, not something else, stopped the attacker
    expect(outcome.smsSent / DAYS).toBeLessThanOrEqual(10);
  });
});
