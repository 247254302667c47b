import { describe, expect, it } from 'vitest';
import type { AuditLog } from '../../../backend/src/ports/audit-log.js';
import { useFreshAdapter, type AdapterHarness } from './adapter-harness.js';

/** What every AuditLog does: keeps each entry, lists an actor's in time order, purges by age. */
export function describeAuditLogContract(name: string, make: () => Promise<AdapterHarness<AuditLog>>): void {
  describe(`AuditLog contract: ${name}`, () => {
    let audit: AuditLog;
    useFreshAdapter(make, (a) => (audit = a));
    const now = new Date();
    const at = (s: number) => new Date(now.getTime() + s * 1000);

    it('lists an actor’s entries since a time, oldest first, also two in the same millisecond', async () => {
      await audit.append({ actor: 'o1', action: 'verification_code_issued', at: at(2), countToday: 2 });
      await audit.append({ actor: 'o1', action: 'verification_code_issued', at: at(1), countToday: 1 });
      await audit.append({ actor: 'o1', action: 'verification_code_issued', at: at(2), countToday: 3 });
      await audit.append({ actor: 'o2', action: 'verification_code_issued', at: at(1), countToday: 1 });
      const entries = await audit.listFor('o1', at(1));
      expect(entries.map((e) => e.at)).toEqual([at(1), at(2), at(2)]);
      expect(entries.map((e) => e.countToday).sort()).toEqual([1, 2, 3]);
      expect(await audit.listFor('o1', at(2))).toHaveLength(2);
      expect(await audit.listFor('nobody', at(0))).toEqual([]);
    });

    it('purges entries older than the retention', async () => {
      await audit.append({ actor: 'o1', action: 'verification_code_issued', at: at(0), countToday: 1 });
      await audit.append({ actor: 'o1', action: 'verification_code_issued', at: at(10), countToday: 2 });
      expect(await audit.purgeOlderThan(at(5))).toBe(1);
      expect(await audit.listFor('o1', at(0))).toEqual([{ actor: 'o1', action: 'verification_code_issued', at: at(10), countToday: 2 }]);
    });
  });
}
