import { describe, expect, it } from 'vitest';
import { resolveObservations } from '../../../backend/src/domain/contacts/resolve-observations.js';
import { TokenCipher } from '../../../backend/src/domain/tokens/token-cipher.js';
import { encodeToken } from '../../../backend/src/domain/tokens/token-encoding.js';
import { windowContaining } from '../../../backend/src/domain/tokens/token-window.js';
import { aKeySet, MIN, NOW } from '../../support/builders.js';

describe('resolving a batch', () => {
  const keys = aKeySet(1);
  const cipher = new TokenCipher(keys);
  const window = windowContaining(NOW, 180);
  const tokenOf = (device: number) => encodeToken(cipher.issue(device, window));
  const seen = (token: string, at: Date = NOW, until: Date = at) => ({ token, firstSeen: at, lastSeen: until });
  const rules = { graceMs: 15 * MIN, maxSightingAgeMs: 14 * 1440 * MIN };

  it('resolves known tokens, clips to the window and counts each kind of drop', () => {
    const result = resolveObservations(
      {
        batchId: 'b',
        reporter: 1,
        receivedAt: NOW,
        observations: [
          seen(tokenOf(2)),
          seen(tokenOf(1)), // self
          seen(encodeToken(Buffer.alloc(16, 7))), // unknown
          seen(tokenOf(3), new Date(window.startMinute * MIN - 60 * MIN)), // before its window, beyond grace
          seen(tokenOf(4), NOW, new Date(NOW.getTime() + 2 * 1440 * MIN)), // runs on for two days: clipped
        ],
      },
      cipher,
      rules,
    );
    expect(result.resolved.map((r) => [r.reporter, r.advertiser])).toEqual([
      [1, 2],
      [1, 4],
    ]);
    expect(result.resolved[1]!.lastSeen).toEqual(new Date((window.startMinute + 180 + 15) * MIN));
    expect(result.clipped).toEqual([4]);
    expect(result.dropped).toEqual({ unknown_token: 1, outside_window: 1, too_old: 0, self_contact: 1, erased_device: 0 });
    expect(result.reasons).toEqual([undefined, 'self_contact', 'unknown_token', 'outside_window', undefined]);
  });

  it('drops sightings older than the lookback when the batch arrives', () => {
    const old = new Date(window.startMinute * MIN);
    const lateBatch = { batchId: 'b', reporter: 1, receivedAt: new Date(old.getTime() + 15 * 1440 * MIN), observations: [seen(tokenOf(2), old)] };
    const result = resolveObservations(lateBatch, cipher, rules);
    expect(result.resolved).toEqual([]);
    expect(result.dropped.too_old).toBe(1);
  });
});
