import { isoWeekStart } from '../../domain/analytics/calendar.js';
import type { NotificationRecord } from '../../domain/analytics/records.js';
import { contactSpan, otherDevice } from '../../domain/contacts/contact.js';
import type { DeviceNumber } from '../../domain/device.js';
import { firstQualifyingEncounter } from '../../domain/exposure/encounter.js';
import type { InfectionCase } from '../../domain/exposure/infection-case.js';
import type { ExposureNotification } from '../../domain/exposure/notification.js';
import { pushTo, type AnalyticsJobDeps } from './analytics-job.js';
import { whereaboutsHeld, type DeviceContacts } from './places.js';
import type { Pseudonymiser } from './pseudonymiser.js';

/**
 * Warning records: the warning and its device under the notifications key of its issue week, its
 * degree, when it was issued, raised and acknowledged, the device's region, and what followed it
 * in the operational data: a case of the device within the incubation window after the exposure
 * (the secondary attack), and the first encounter during isolation that would itself have exposed
 * someone (the isolation broken), judged by the exposure model's rules from the stored contacts.
 * A warning re-derived after the contact store dropped its whereabouts (or its isolation) keeps the
 * region (and isolation finding) its record was given: recomputing them from what is left would
 * move the warning to `unknown` (or count a broken isolation as kept).
 */
export async function deriveNotificationRecords(
  deps: AnalyticsJobDeps,
  names: Pseudonymiser,
  warnings: readonly ExposureNotification[],
  casesByDevice: ReadonlyMap<DeviceNumber, readonly InfectionCase[]>,
  contacts: DeviceContacts,
): Promise<NotificationRecord[]> {
  const now = deps.clock().getTime();
  const { incubationMs, isolationMs } = deps.config.epidemiology;
  const stored = await storedRecords(deps, warnings.filter((w) => !whereaboutsHeld(w.issuedAt.getTime(), now, deps.config.contactsRetentionMs)));
  return Promise.all(
    warnings.map(async (w): Promise<NotificationRecord> => {
      const issuedAt = w.issuedAt.getTime();
      const id = await names.of('notifications', issuedAt, 'notification', w.id);
      // Only where the contacts are gone: while they are held, the record is derived afresh.
      const before = whereaboutsHeld(issuedAt, now, deps.config.contactsRetentionMs) ? undefined : stored.get(id);
      const exposedAt = w.exposedAt.getTime();
      const isolationEndsAt = exposedAt + isolationMs;
      const isolationHeld = issuedAt >= now - deps.config.contactsRetentionMs;
      const laterCase = (casesByDevice.get(w.device) ?? [])
        .map((c) => c.reportedAt.getTime())
        .filter((t) => t > exposedAt && t <= exposedAt + incubationMs)
        .sort((a, b) => a - b)[0];
      return {
        id,
        device: await names.of('notifications', issuedAt, 'device', w.device),
        degree: w.degree,
        issuedAt,
        week: isoWeekStart(issuedAt),
        raisedAt: w.updatedAt?.getTime(),
        acknowledgedAt: w.acknowledgedAt?.getTime(),
        exposedAt,
        region: before?.region ?? contacts.regionBefore(w.device, issuedAt, deps.config.regions),
        laterCaseAt: laterCase,
        isolationEndsAt,
        isolationBrokenAt: before && !isolationHeld ? before.isolationBrokenAt : isolationEndsAt > issuedAt ? firstContactDuring(deps, contacts, w.device, issuedAt, Math.min(isolationEndsAt, now)) : undefined,
        followedUpTo: now,
      };
    }),
  );
}

/** The analytics records already written for these warnings, by record id (read by issue time). */
async function storedRecords(deps: AnalyticsJobDeps, warnings: readonly ExposureNotification[]): Promise<Map<string, NotificationRecord>> {
  const stored = new Map<string, NotificationRecord>();
  if (warnings.length === 0) return stored;
  const times = warnings.map((w) => w.issuedAt.getTime());
  const from = times.reduce((a, b) => Math.min(a, b));
  const until = times.reduce((a, b) => Math.max(a, b)) + 1;
  for await (const page of deps.analytics.notificationPages(from, until)) for (const r of page) stored.set(r.id, r);
  return stored;
}

/** The start of the device's first encounter in [from, until) that reaches the exposure threshold. */
function firstContactDuring(deps: AnalyticsJobDeps, contacts: DeviceContacts, device: DeviceNumber, from: number, until: number): number | undefined {
  const byOther = new Map<DeviceNumber, ReturnType<DeviceContacts['of']>>();
  for (const c of contacts.of(device)) {
    const { firstSeen, lastSeen } = contactSpan(c);
    if (lastSeen >= from && firstSeen < until) pushTo(byOther, otherDevice(c, device), c);
  }
  let first: number | undefined;
  for (const pair of byOther.values()) {
    const encounter = firstQualifyingEncounter(pair.flatMap((c) => c.intervals), deps.exposure.proximity, from, until);
    if (encounter && (first === undefined || encounter.start < first)) first = encounter.start;
  }
  return first;
}
