import { isoWeekStart, utcDayStart } from '../../domain/analytics/calendar.js';
import { pseudonym } from '../../domain/analytics/pseudonym.js';
import type { CaseRecord } from '../../domain/analytics/records.js';
import type { DeviceNumber } from '../../domain/device.js';
import type { InfectionCase } from '../../domain/exposure/infection-case.js';
import type { ExposureNotification } from '../../domain/exposure/notification.js';
import { pushTo, type AnalyticsJobDeps } from './analytics-job.js';
import { whereaboutsHeld, type DeviceContacts } from './places.js';
import type { Pseudonymiser } from './pseudonymiser.js';

export interface CaseInputs {
  /** The cases to derive records for. */
  cases: readonly InfectionCase[];
  /** Every case the operational store still holds from before them too: infectors and earlier cases. */
  known: ReadonlyMap<string, InfectionCase>;
  /** The warnings each case's device holds. */
  warnings: ReadonlyMap<DeviceNumber, readonly ExposureNotification[]>;
  contacts: DeviceContacts;
}

/**
 * Case records: the case and its device under the cases key of its report week, its region (where
 * the device was most in the week before), its candidate infectors (the cases whose first-degree
 * warning the device held when it reported), and its previous case: from the operational store
 * while it still holds it, and after that from the analytics cases under every key still held.
 * A case derived again keeps the infectors and (once the contacts are gone) the region of its record.
 */
export async function deriveCaseRecords(deps: AnalyticsJobDeps, names: Pseudonymiser, inputs: CaseInputs): Promise<CaseRecord[]> {
  const now = deps.clock().getTime();
  const earlier = await earlierAnalyticsCases(deps, inputs.cases);
  return Promise.all(
    inputs.cases.map(async (c): Promise<CaseRecord> => {
      const t = c.reportedAt.getTime();
      const infectors = (inputs.warnings.get(c.device) ?? [])
        .filter((w) => w.degree === 1 && w.exposedAt.getTime() < t)
        .map((w) => inputs.known.get(w.caseId))
        .filter((infector): infector is InfectionCase => infector !== undefined && infector.reportedAt.getTime() < t);
      const id = await names.of('cases', t, 'case', c.id);
      const operationalPrevious = [...inputs.known.values()].filter((k) => k.device === c.device && k.reportedAt.getTime() < t).map((k) => k.reportedAt.getTime());
      const analyticsPrevious = (earlier.get(c.device) ?? []).filter((r) => r.id !== id && r.reportedAt < t).map((r) => r.reportedAt);
      const previous = Math.max(...operationalPrevious, ...analyticsPrevious);
      // Re-derived later, the record keeps what the operational stores have forgotten meanwhile:
      // the infectors whose warnings the ledger dropped, the region once the whereabouts are gone.
      const stored = (earlier.get(c.device) ?? []).find((r) => r.id === id);
      const whereabouts = whereaboutsHeld(t, now, deps.config.contactsRetentionMs);
      const infectorIds = await Promise.all(infectors.map((i) => names.of('cases', i.reportedAt.getTime(), 'case', i.id)));
      return {
        id,
        device: await names.of('cases', t, 'device', c.device),
        reportedAt: t,
        week: isoWeekStart(t),
        symptomOnsetDay: c.symptomOnset ? utcDayStart(c.symptomOnset.getTime()) : undefined,
        region: stored && !whereabouts ? stored.region : inputs.contacts.regionBefore(c.device, t, deps.config.regions),
        infectors: [...new Set([...(stored?.infectors ?? []), ...infectorIds])],
        previousCaseAt: Number.isFinite(previous) ? previous : undefined,
      };
    }),
  );
}

/** Per device: its case records in the analytics store, found through its pseudonym under each key held. */
async function earlierAnalyticsCases(deps: AnalyticsJobDeps, cases: readonly InfectionCase[]): Promise<Map<DeviceNumber, CaseRecord[]>> {
  const keys = await deps.keys.heldKeys('cases');
  const devices = [...new Set(cases.map((c) => c.device))];
  const byPseudonym = new Map<string, DeviceNumber>();
  for (const device of devices) for (const key of keys) byPseudonym.set(pseudonym(key, 'device', device), device);
  const found = new Map<DeviceNumber, CaseRecord[]>();
  const all = [...byPseudonym.keys()];
  for (let i = 0; i < all.length; i += 500) {
    for (const record of await deps.analytics.casesOfDevices(all.slice(i, i + 500))) {
      const device = byPseudonym.get(record.device)!;
      pushTo(found, device, record);
    }
  }
  return found;
}
