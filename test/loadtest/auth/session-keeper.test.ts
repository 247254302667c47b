import { describe, expect, it } from 'vitest';
import { LocalSignUp } from '../../../loadtest/src/auth/local-signup.js';
import { SessionKeeper } from '../../../loadtest/src/auth/session-keeper.js';
import { Session } from '../../../loadtest/src/auth/session.js';
import { HttpTarget } from '../../../loadtest/src/http/http-target.js';
import { startFakeApi } from '../support/fake-api.js';

const HOUR_S = 3_600;

/** Signed-in sessions on a fake API whose access tokens last an hour, and a keeper on a clock the test moves. */
async function keeperFixture(aheadMs: number) {
  const api = await startFakeApi({ officialPhone: '+447700900001', issueRefreshTokens: true, accessTokenTtlSeconds: HOUR_S });
  const target = new HttpTarget(api.url, 4);
  const signUp = new LocalSignUp(target, '+447700900001');
  const sessions = [(await signUp.signInOfficial())!, (await signUp.signInOfficial())!];
  let now = Date.now();
  const keeper = new SessionKeeper(signUp, () => sessions, { aheadMs, now: () => now, retryMs: 30_000 });
  return {
    api,
    sessions,
    keeper,
    advance: (ms: number) => (now += ms),
    close: async () => {
      await target.close();
      await api.stop();
    },
  };
}

describe('Class: SessionKeeper', () => {
  it.each([
    [5 * 60_000, 54 * 60_000, 0],
    [5 * 60_000, 56 * 60_000, 2],
    // Asked for more than half the lifetime: refreshed at half-life, not at once and forever after.
    [2 * 3_600_000, 29 * 60_000, 0],
    [2 * 3_600_000, 31 * 60_000, 2],
  ])('refreshing %i ms ahead, after %i ms %i sessions are due', async (aheadMs, elapsedMs, due) => {
    const f = await keeperFixture(aheadMs);
    try {
      f.advance(elapsedMs);
      expect(f.keeper.due()).toHaveLength(due);
    } finally {
      await f.close();
    }
  });

  it('renews due sessions in place and counts them', async () => {
    const f = await keeperFixture(5 * 60_000);
    try {
      const before = f.sessions.map((s) => s.authorization);
      f.advance(56 * 60_000);
      await f.keeper.refreshDue();
      expect(f.keeper.stats).toEqual({ refreshed: 2, refreshFailures: 0 });
      expect(f.api.counts.refreshes).toBe(2);
      expect(f.sessions.map((s) => s.authorization)).not.toEqual(before);
      expect(f.sessions.every((s) => s.headers.authorization === s.authorization)).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('counts a failed refresh, keeps the message, and waits before trying that session again', async () => {
    const f = await keeperFixture(5 * 60_000);
    try {
      f.sessions.forEach((s) => s.update({ accessToken: s.accessToken, refreshToken: 'revoked' }));
      f.advance(56 * 60_000);
      await f.keeper.refreshDue();
      expect(f.keeper.stats).toMatchObject({ refreshed: 0, refreshFailures: 2, lastFailure: expect.stringContaining('POST /v1/auth/refresh') });
      expect(f.keeper.due()).toHaveLength(0);
      f.advance(30_000);
      expect(f.keeper.due()).toHaveLength(2);
    } finally {
      await f.close();
    }
  });

  it('leaves alone tokens whose expiry it cannot read', () => {
    const keeper = new SessionKeeper({} as never, () => [new Session('opaque', { accessToken: 'not-a-jwt' })], { aheadMs: 1e12 });
    expect(keeper.due()).toEqual([]);
  });
});
