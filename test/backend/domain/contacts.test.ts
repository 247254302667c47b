import { describe, expect, it } from 'vitest';
import { contactsFromObservations, mergeContacts } from '../../../backend/src/domain/contacts/contact.js';
import type { ResolvedObservation } from '../../../backend/src/domain/contacts/observation.js';
import { resolveObservations } from '../../../backend/src/domain/contacts/resolve-observations.js';
import { TokenCipher } from '../../../backend/src/domain/tokens/token-cipher.js';
import { encodeToken } from '../../../backend/src/domain/tokens/token-encoding.js';
import { windowContaining } from '../../../backend/src/domain/tokens/token-window.js';
import { aContact, aKeySet, MIN, minutesBefore, NOW } from '../../support/builders.js';

const sighting = (reporter: number, advertiser: number, from: number, to: number, rssi?: number): ResolvedObservation => ({
  reporter,
  advertiser,
  windowStartMinute: 100,
  firstSeen: minutesBefore(from),
  lastSeen: minutesBefore(to),
  rssi,
});

describe('contacts from observations', () => {
  it('folds both sides and repeated sightings of a pair in one window into one contact', () => {
    const contacts = contactsFromObservations([sighting(1, 2, 30, 20, -70), sighting(2, 1, 25, 5), sighting(1, 2, 40, 35, -60)]);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({
      deviceLow: 1,
      deviceHigh: 2,
      firstSeen: minutesBefore(40),
      lastSeen: minutesBefore(5),
      reportedByLow: true,
      reportedByHigh: true,
      maxRssi: -60,
    });
  });

  it('keeps different windows and different pairs apart', () => {
    const other = { ...sighting(1, 2, 30, 20), windowStartMinute: 280 };
    expect(contactsFromObservations([sighting(1, 2, 30, 20), other, sighting(1, 3, 30, 20)])).toHaveLength(3);
  });

  it('merges commutatively and idempotently', () => {
    const a = aContact(1, 2, 30, 20, { maxRssi: -80 });
    const b = { ...aContact(2, 1, 25, 10), id: a.id, maxRssi: -60 };
    expect(mergeContacts(a, b)).toEqual(mergeContacts(b, a));
    expect(mergeContacts(mergeContacts(a, b), b)).toEqual(mergeContacts(a, b));
  });
});

describe('resolving a batch', () => {
  const keys = aKeySet(1);
  const cipher = new TokenCipher(keys);
  const window = windowContaining(NOW, 180);
  const tokenOf = (device: number) => encodeToken(cipher.issue(device, window));
  const seen = (token: string, at: Date = NOW) => ({ token, firstSeen: at, lastSeen: at });

  it('resolves known tokens and counts each kind of drop', () => {
    const erased = new Set([9]);
    const result = resolveObservations(
      {
        batchId: 'b',
        reporter: 1,
        receivedAt: NOW,
        observations: [
          seen(tokenOf(2)),
          seen(tokenOf(1)), // self
          seen(tokenOf(9)), // erased
          seen(encodeToken(Buffer.alloc(16, 7))), // unknown
          seen(tokenOf(3), new Date(window.startMinute * MIN - 60 * MIN)), // before its window, beyond grace
        ],
      },
      cipher,
      { graceMs: 15 * MIN, maxSightingAgeMs: 14 * 1440 * MIN, isErased: (d) => erased.has(d) },
    );
    expect(result.resolved.map((r) => [r.reporter, r.advertiser])).toEqual([[1, 2]]);
    expect(result.dropped).toEqual({ unknown_token: 1, expired_token: 1, stale_sighting: 0, self_contact: 1, erased_device: 1 });
  });

  it('drops sightings older than the lookback when the batch arrives', () => {
    const old = new Date(window.startMinute * MIN);
    const lateBatch = { batchId: 'b', reporter: 1, receivedAt: new Date(old.getTime() + 15 * 1440 * MIN), observations: [seen(tokenOf(2), old)] };
    const result = resolveObservations(lateBatch, cipher, { graceMs: 15 * MIN, maxSightingAgeMs: 14 * 1440 * MIN, isErased: () => false });
    expect(result.resolved).toEqual([]);
    expect(result.dropped.stale_sighting).toBe(1);
  });
});
