import { daysOverlapping, isoDate } from '../../domain/analytics/calendar.js';
import type { DeviceNumber } from '../../domain/device.js';
import type { InfectionCase } from '../../domain/exposure/infection-case.js';
import type { ExposureNotification } from '../../domain/exposure/notification.js';
import { pushTo, type AnalyticsJobDeps } from './analytics-job.js';
import { deriveCaseRecords } from './derive-cases.js';
import { deriveContactDay } from './derive-contact-days.js';
import { deriveNotificationRecords } from './derive-notifications.js';
import { forgetDeviceAnalytics } from './forget-device-analytics.js';
import { DeviceContacts, WHEREABOUTS_MS } from './places.js';
import { Pseudonymiser } from './pseudonymiser.js';

export interface Derived {
  cases: number;
  notifications: number;
  encounters: number;
  activity: number;
  /** Devices erased meanwhile whose fresh records were deleted again. */
  erased: number;
}

/**
 * Turns what the operational stores hold about [since, now) into analytics records, pseudonymised
 * and coarsened (see domain/analytics/records.ts). Every record has a deterministic id, so running
 * over the same period again rewrites the same records with what is known now: late uploads, a
 * case that came after a warning, an acknowledgement. Devices erased while the run read their data
 * have the records it wrote deleted again (their erasure markers outlive any run).
 */
export async function deriveRecords(deps: AnalyticsJobDeps, since: Date): Promise<Derived> {
  const now = deps.clock().getTime();
  const { epidemiology } = deps.config;
  const names = new Pseudonymiser(deps.keys);
  const followUpMs = Math.max(epidemiology.incubationMs, epidemiology.isolationMs) + epidemiology.lateDataMs;
  const days = daysOverlapping(since.getTime(), now + 1);
  const total = days.length + 2;
  const touched = new Set<DeviceNumber>();

  // Cases far enough back to be an infector, an earlier case or the follow-up of a warning.
  const known = await deps.reports.reportedBetween(new Date(since.getTime() - followUpMs - deps.exposure.lookbackMs), new Date(now + 1));
  const knownById = new Map(known.map((c) => [c.id, c]));
  const casesByDevice = new Map<DeviceNumber, InfectionCase[]>();
  for (const c of known) pushTo(casesByDevice, c.device, c);
  const cases = known.filter((c) => c.reportedAt.getTime() >= since.getTime());

  const caseDevices = new Set(cases.map((c) => c.device));
  const warningsOfCases = new Map<DeviceNumber, ExposureNotification[]>();
  const warnings: ExposureNotification[] = [];
  for await (const page of deps.ledger.allNotifications()) {
    for (const w of page) {
      if (caseDevices.has(w.device)) pushTo(warningsOfCases, w.device, w);
      // A warning's record can still change while its follow-up runs, or when it was raised or acknowledged lately.
      const changedAt = Math.max(w.issuedAt.getTime() + followUpMs, w.updatedAt?.getTime() ?? 0, w.acknowledgedAt?.getTime() ?? 0);
      if (changedAt >= since.getTime()) warnings.push(w);
    }
  }

  const people = [...new Set([...cases.map((c) => c.device), ...warnings.map((w) => w.device)])];
  const earliest = [...cases.map((c) => c.reportedAt.getTime()), ...warnings.map((w) => w.issuedAt.getTime())].reduce((a, b) => Math.min(a, b), now);
  const contacts = await DeviceContacts.load(deps.contacts, people, new Date(earliest - WHEREABOUTS_MS));
  people.forEach((d) => touched.add(d));

  const caseRecords = await deriveCaseRecords(deps, names, { cases, known: knownById, warnings: warningsOfCases, contacts });
  await deps.analytics.putCases(caseRecords);
  deps.progress?.({ step: 'cases', done: 1, total });
  const notificationRecords = await deriveNotificationRecords(deps, names, warnings, casesByDevice, contacts);
  await deps.analytics.putNotifications(notificationRecords);
  deps.progress?.({ step: 'warnings', done: 2, total });

  const derived: Derived = { cases: caseRecords.length, notifications: notificationRecords.length, encounters: 0, activity: 0, erased: 0 };
  for (const [i, day] of days.entries()) {
    const counts = await deriveContactDay(deps, names, day);
    derived.encounters += counts.encounters;
    derived.activity += counts.activity;
    counts.devices.forEach((d) => touched.add(d));
    deps.progress?.({ step: `contacts ${isoDate(day)}`, done: 3 + i, total });
  }
  derived.erased = await forgetErased(deps, touched);
  return derived;
}

async function forgetErased(deps: AnalyticsJobDeps, devices: ReadonlySet<DeviceNumber>): Promise<number> {
  const list = [...devices];
  let erased = 0;
  for (let i = 0; i < list.length; i += 1000) {
    for (const device of await deps.devices.erasedAmong(list.slice(i, i + 1000))) {
      await forgetDeviceAnalytics(deps, device);
      erased++;
    }
  }
  return erased;
}
