import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenManager, type TokenEvent } from '../../../device-bridge/src/core/token-manager.js';
import type { TokenApi, TokenWindow } from '../../../device-bridge/src/ports/token-api.js';

const TTL = 180 * 60_000;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0); // a window boundary

/** In-memory TokenApi over the same grid as the backend; `down` makes it fail. */
class GridTokenApi implements TokenApi {
  down = false;
  calls = 0;
  async fetchTokens(count: number): Promise<TokenWindow[]> {
    this.calls++;
    if (this.down) throw new Error('connect ECONNREFUSED');
    const first = Math.floor(Date.now() / TTL);
    return Array.from({ length: count }, (_, i) => ({ token: `tok-${first + i}`, validFrom: (first + i) * TTL, validUntil: (first + i + 1) * TTL }));
  }
}

function setup(jitter = 0.5) {
  const api = new GridTokenApi();
  const advertised: { token: string; at: number }[] = [];
  const events: TokenEvent[] = [];
  let stopped = 0;
  const manager = new TokenManager(api, {
    prefetch: 3,
    jitterMs: 10_000,
    random: () => jitter,
    onRotate: async (w) => void advertised.push({ token: w.token, at: Date.now() }),
    onNoToken: async () => void stopped++,
    onEvent: (e) => events.push(e),
  });
  return { api, advertised, events, manager, stopped: () => stopped };
}

describe('TokenManager', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 + 60 * 60_000 }));
  afterEach(() => vi.useRealTimers());

  it('advertises the current confirmed window and prefetches the next ones', async () => {
    const { advertised, manager } = setup();
    await manager.start();
    const idx = Math.floor(T0 / TTL);
    expect(advertised.map((a) => a.token)).toEqual([`tok-${idx}`]);
    expect(manager.known.map((w) => w.token)).toEqual([`tok-${idx}`, `tok-${idx + 1}`, `tok-${idx + 2}`]);
    manager.stop();
  });

  it('rotates at the window boundary plus jitter, not before', async () => {
    const { advertised, manager } = setup(0.5);
    await manager.start();
    const boundary = T0 + TTL;
    await vi.advanceTimersByTimeAsync(boundary - Date.now() + 4_999);
    expect(advertised).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(advertised).toHaveLength(2);
    expect(advertised[1]!.at).toBe(boundary + 5_000);
    manager.stop();
  });

  it('keeps rotating through an outage of two windows using prefetched tokens', async () => {
    const { api, advertised, manager, stopped } = setup(0);
    await manager.start();
    api.down = true;
    await vi.advanceTimersByTimeAsync(2 * TTL);
    expect(advertised).toHaveLength(3);
    expect(stopped()).toBe(0);
    manager.stop();
  });

  it('stops advertising when no confirmed token is left, and resumes when the server is back', async () => {
    const { api, advertised, manager, stopped, events } = setup(0);
    await manager.start();
    api.down = true;
    await vi.advanceTimersByTimeAsync(3 * TTL);
    expect(stopped()).toBe(1);
    expect(manager.current).toBeUndefined();
    expect(events.some((e) => e.type === 'fetch_failed')).toBe(true);
    api.down = false;
    await vi.advanceTimersByTimeAsync(70_000); // retry backoff is capped at 60 s
    expect(manager.current?.token).toBe(`tok-${Math.floor(Date.now() / TTL)}`);
    expect(advertised).toHaveLength(4);
    manager.stop();
  });

  it('never advertises anything before the server confirmed a token', async () => {
    const { api, advertised, manager } = setup();
    api.down = true;
    await manager.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(advertised).toEqual([]);
    expect(api.calls).toBeGreaterThan(1);
    manager.stop();
  });

  it.each([0, 9])('rejects prefetch=%i', (prefetch) => {
    expect(() => new TokenManager(new GridTokenApi(), { prefetch, onRotate: async () => {}, onNoToken: async () => {} })).toThrow(RangeError);
  });
});
