import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalSignUp } from '../../../loadtest/src/auth/local-signup.js';
import { OfficialSessionStore } from '../../../loadtest/src/auth/official-session-store.js';
import { HttpTarget } from '../../../loadtest/src/http/http-target.js';
import { isFictionalPhoneNumber } from '../../../loadtest/src/population/fictional-phone-numbers.js';
import { SimulatedDevice } from '../../../loadtest/src/population/simulated-device.js';
import { startFakeApi, type FakeApiOptions } from '../support/fake-api.js';

const OFFICIAL = '+447700900001';

async function withSignUp(options: FakeApiOptions, test: (signUp: LocalSignUp, api: Awaited<ReturnType<typeof startFakeApi>>) => Promise<void>) {
  const api = await startFakeApi({ officialPhone: OFFICIAL, ...options });
  const target = new HttpTarget(api.url, 4);
  try {
    await test(new LocalSignUp(target, OFFICIAL), api);
  } finally {
    await target.close();
    await api.stop();
  }
}

const devicesOf = (signUp: LocalSignUp, n: number) => signUp.logins(n).map((login, i) => new SimulatedDevice(i, login));

describe('Class: LocalSignUp', () => {
  it('signs devices in with fictional phone numbers, never the official\u2019s, each with its own session', async () => {
    await withSignUp({}, async (signUp) => {
      const devices = devicesOf(signUp, 3);
      expect(devices.every((d) => isFictionalPhoneNumber(d.login))).toBe(true);
      await signUp.signInDevices(devices);
      expect(new Set(devices.map((d) => d.headers.authorization)).size).toBe(3);
      expect(devices.every((d) => d.headers.authorization === d.session.authorization && d.session.authorization.startsWith('Bearer '))).toBe(true);
      expect((await signUp.signInOfficial())?.login).toBe(OFFICIAL);
    });
  });

  it('refuses to go on when the server does not echo the SMS code', async () => {
    await withSignUp({ echoSmsCode: false }, async (signUp) => {
      await expect(signUp.signInDevices(devicesOf(signUp, 1))).rejects.toThrow('start the server with DEV_SMS_ECHO=1, or use --credentials');
    });
  });

  it.each([
    [true, 'POST /v1/auth/refresh, rotating the refresh token'],
    [false, 'signing in again (a server without refresh tokens)'],
  ])('with refresh tokens issued: %s, renews a session by %s', async (issueRefreshTokens) => {
    await withSignUp({ issueRefreshTokens }, async (signUp, api) => {
      const [device] = devicesOf(signUp, 1);
      await signUp.signInDevices([device!]);
      const { accessToken, refreshToken } = device!.session;
      const signInsBefore = api.counts.signIns;
      await signUp.refresh(device!.session);
      expect(device!.session.accessToken).not.toBe(accessToken);
      expect(device!.headers.authorization).toBe(`Bearer ${device!.session.accessToken}`);
      if (issueRefreshTokens) {
        expect(device!.session.refreshToken).not.toBe(refreshToken);
        expect(api.counts.signIns).toBe(signInsBefore);
      } else {
        expect(api.counts.signIns).toBe(signInsBefore + 1);
      }
    });
  });

  it('keeps the official’s session in its store, writes every renewal at once, and resumes it in a later run without a sign-in', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loadtest-official-session-'));
    const api = await startFakeApi({ officialPhone: OFFICIAL });
    const target = new HttpTarget(api.url, 2);
    try {
      const store = () => new OfficialSessionStore(out, `${api.url} ${OFFICIAL}`);
      const first = new LocalSignUp(target, OFFICIAL, undefined, store());
      const official = (await first.signInOfficial())!;
      expect(store().load()).toBe(official.refreshToken);
      await first.refresh(official);
      expect(store().load()).toBe(official.refreshToken);

      const signInsBefore = api.counts.signIns;
      const later = new LocalSignUp(target, OFFICIAL, undefined, store());
      const resumed = (await later.signInOfficial())!;
      expect(api.counts.signIns).toBe(signInsBefore);
      expect(later.officialNotice).toBe(`resumed its session of an earlier run (${store().file}): no SMS sent`);
      expect(store().load()).toBe(resumed.refreshToken);
      expect(resumed.refreshToken).not.toBe(official.refreshToken);

      // A store whose token the server refuses (the server's data was reset) falls back to a sign-in.
      writeFileSync(store().file, JSON.stringify({ [`${api.url} ${OFFICIAL}`]: 'rt-the-server-forgot' }));
      const afresh = (await new LocalSignUp(target, OFFICIAL, undefined, store()).signInOfficial())!;
      expect(api.counts.signIns).toBe(signInsBefore + 1);
      expect(store().load()).toBe(afresh.refreshToken);
    } finally {
      await target.close();
      await api.stop();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
