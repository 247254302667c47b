import { describe, expect, it } from 'vitest';
import type { RefreshFamily, RefreshTokenFamilies } from '../../../backend/src/ports/refresh-token-families.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

const DAY = 86_400_000;

/** What every RefreshTokenFamilies does: one generation at a time, rotation exactly once, revocation. */
export function describeRefreshTokenFamiliesContract(name: string, make: () => Promise<AdapterHarness<RefreshTokenFamilies>>): void {
  describe(`RefreshTokenFamilies contract: ${name}`, () => {
    let families: RefreshTokenFamilies;
    useFreshAdapter(make, (f) => (families = f));
    const now = new Date();
    const family = (id: string, subject = 'sub-1', extra: Partial<RefreshFamily> = {}): RefreshFamily => ({
      id,
      subject,
      generation: 1,
      secretHash: `hash-${id}-1`,
      upstream: 'sealed-upstream',
      createdAt: now,
      expiresAt: new Date(now.getTime() + 90 * DAY),
      ...extra,
    });

    it('stores a family as given', async () => {
      await families.create(family('f1'));
      expect(await families.find('f1')).toEqual({ ...family('f1'), revokedAt: undefined });
      expect(await families.find('nope')).toBeUndefined();
    });

    it('advances one generation at a time, and only from the current one', async () => {
      await families.create(family('f1'));
      expect(await families.advance('f1', 1, { secretHash: 'h2', upstream: 'u2' })).toBe(true);
      expect(await families.advance('f1', 1, { secretHash: 'h2b', upstream: 'u2b' })).toBe(false);
      expect(await families.find('f1')).toMatchObject({ generation: 2, secretHash: 'h2', upstream: 'u2' });
      expect(await families.advance('f1', 2, { secretHash: 'h3' })).toBe(true);
      expect((await families.find('f1'))?.upstream).toBeUndefined();
    });

    it('lets exactly one of concurrent rotations of the same generation win', async () => {
      await families.create(family('f1'));
      const won = await Promise.all(Array.from({ length: 6 }, (_, i) => families.advance('f1', 1, { secretHash: `h${i}` })));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('revokes a family (dropping its sealed upstream token) and refuses to advance it', async () => {
      await families.create(family('f1'));
      await families.revoke('f1', now);
      expect(await families.find('f1')).toMatchObject({ revokedAt: now, upstream: undefined });
      expect(await families.advance('f1', 1, { secretHash: 'h2' })).toBe(false);
    });

    it('revokes every live family of a subject', async () => {
      await Promise.all([families.create(family('a1', 'alice')), families.create(family('a2', 'alice')), families.create(family('b1', 'bob'))]);
      await families.revoke('a2', now);
      expect(await families.revokeAllOf('alice', now)).toBe(1);
      expect((await families.find('a1'))?.revokedAt).toEqual(now);
      expect((await families.find('b1'))?.revokedAt).toBeUndefined();
    });

    it("deletes every family of an erased subject, and no one else's", async () => {
      await Promise.all([families.create(family('a1', 'alice')), families.create(family('a2', 'alice')), families.create(family('b1', 'bob'))]);
      await families.revoke('a2', now);
      expect(await families.deleteAllOf('alice')).toBe(2);
      expect(await families.find('a1')).toBeUndefined();
      expect(await families.find('b1')).toBeDefined();
    });

    it('purges families past their expiry', async () => {
      await families.create(family('short', 'sub-1', { expiresAt: new Date(now.getTime() + DAY) }));
      await families.create(family('long'));
      expect(await families.purgeExpired(new Date(now.getTime() + 2 * DAY))).toBe(1);
      expect(await families.find('short')).toBeUndefined();
      expect(await families.find('long')).toBeDefined();
    });
  });
}
