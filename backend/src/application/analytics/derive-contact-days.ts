import { isoWeekStart } from '../../domain/analytics/calendar.js';
import { pairDaySummary } from '../../domain/analytics/encounter-summary.js';
import type { ActivityRecord, EncounterRecord } from '../../domain/analytics/records.js';
import { mostFrequentRegion } from '../../domain/analytics/regions.js';
import type { Contact } from '../../domain/contacts/contact.js';
import type { GeoPoint } from '../../domain/contacts/observation.js';
import type { DeviceNumber } from '../../domain/device.js';
import { MS_PER_DAY } from '../../domain/time.js';
import { pushTo, type AnalyticsJobDeps } from './analytics-job.js';
import type { Pseudonymiser } from './pseudonymiser.js';

export interface DayCounts {
  encounters: number;
  activity: number;
  devices: Set<DeviceNumber>;
}

/**
 * One UTC day's encounter and activity records, straight from the contact store: each pair's
 * contacts of the day (they come one after another, in id order) become one pair-day record,
 * measured by the exposure model's encounter rules, and each device that uploaded becomes one
 * activity record, placed in the region it was seen in most that day. Written page by page.
 */
export async function deriveContactDay(deps: AnalyticsJobDeps, names: Pseudonymiser, day: number): Promise<DayCounts> {
  const until = day + MS_PER_DAY;
  const places = new Map<DeviceNumber, GeoPoint[]>();
  const counts: DayCounts = { encounters: 0, activity: 0, devices: new Set() };
  let pending: Contact[] = [];
  const flush = async (pairs: Contact[][]) => {
    const records = (await Promise.all(pairs.map((pair) => encounterRecord(deps, names, day, pair)))).filter((r): r is EncounterRecord => r !== undefined);
    await deps.analytics.putEncounters(records);
    counts.encounters += records.length;
  };
  for await (const page of deps.contacts.contactPagesDuring(new Date(day), new Date(until))) {
    const pairs: Contact[][] = [];
    for (const contact of page) {
      for (const device of [contact.deviceLow, contact.deviceHigh]) {
        counts.devices.add(device);
        if (contact.location) pushTo(places, device, contact.location);
      }
      if (pending.length > 0 && !samePair(pending[0]!, contact)) {
        pairs.push(pending);
        pending = [];
      }
      pending.push(contact);
    }
    await flush(pairs);
  }
  if (pending.length > 0) await flush([pending]);

  const uploads = await deps.contacts.uploadsDuring(new Date(day), new Date(until));
  const activity = await Promise.all(
    uploads.map(async (u): Promise<ActivityRecord> => {
      counts.devices.add(u.reporter);
      return {
        id: await names.of('activity', day, 'activity', `${u.reporter}:${day}`),
        device: await names.of('activity', day, 'device', u.reporter),
        day,
        week: isoWeekStart(day),
        region: mostFrequentRegion(places.get(u.reporter) ?? [], deps.config.regions),
        uploads: u.uploads,
        observations: u.observations,
        lastUploadAt: u.lastUploadAt.getTime(),
      };
    }),
  );
  await deps.analytics.putActivity(activity);
  counts.activity = activity.length;
  return counts;
}

async function encounterRecord(deps: AnalyticsJobDeps, names: Pseudonymiser, day: number, pair: Contact[]): Promise<EncounterRecord | undefined> {
  const summary = pairDaySummary(pair.flatMap((c) => c.intervals), deps.exposure.proximity, day);
  if (!summary) return undefined;
  const { deviceLow, deviceHigh } = pair[0]!;
  return {
    ...summary,
    id: await names.of('encounters', day, 'encounter', `${deviceLow}:${deviceHigh}:${day}`),
    deviceLow: await names.of('encounters', day, 'device', deviceLow),
    deviceHigh: await names.of('encounters', day, 'device', deviceHigh),
    week: isoWeekStart(day),
    region: mostFrequentRegion(pair.flatMap((c) => (c.location ? [c.location] : [])), deps.config.regions),
  };
}

function samePair(a: Contact, b: Contact): boolean {
  return a.deviceLow === b.deviceLow && a.deviceHigh === b.deviceHigh;
}
