import type { ActivityRecord, EncounterRecord, NotificationRecord } from '../records.js';
import { cellsOf } from './cells.js';
import type { EpidemiologyPolicy } from './policy.js';

/** A count of records and of the distinct people (pseudonyms) behind them. */
export class PeopleCount {
  records = 0;
  readonly people = new Set<string>();

  add(person: string): void {
    this.records++;
    this.people.add(person);
  }

  get size(): number {
    return this.people.size;
  }
}

function counter<K extends string>(names: readonly K[]): Record<K, PeopleCount> {
  return Object.fromEntries(names.map((n) => [n, new PeopleCount()])) as Record<K, PeopleCount>;
}

const NOTIFICATION_COUNTS = ['issued', 'raised', 'acknowledged', 'sarCohort', 'sarCases', 'isolationCohort', 'isolationBroken'] as const;
export type NotificationCell = Record<(typeof NOTIFICATION_COUNTS)[number], PeopleCount>;

/**
 * Warnings folded into cells by issue week, region and degree (degree 0: every degree), page by
 * page, so that the job never holds every warning of a period in memory. A warning joins the
 * secondary-attack and isolation cohorts only once its window has closed and late data had time
 * to arrive: counting open windows would undercount both.
 */
export class NotificationTally {
  readonly cells = new Map<string, NotificationCell>();

  constructor(private readonly policy: EpidemiologyPolicy) {}

  add(records: readonly NotificationRecord[]): void {
    for (const r of records) {
      for (const cell of cellsOf(r.week, r.region)) {
        for (const degree of [0, r.degree]) this.addTo(this.cell(`${cell}|${degree}`), r);
      }
    }
  }

  cell(key: string): NotificationCell {
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = counter(NOTIFICATION_COUNTS)));
    return cell;
  }

  private addTo(cell: NotificationCell, r: NotificationRecord): void {
    const { incubationMs, lateDataMs } = this.policy;
    cell.issued.add(r.device);
    if (r.raisedAt !== undefined) cell.raised.add(r.device);
    if (r.acknowledgedAt !== undefined) cell.acknowledged.add(r.device);
    if (r.followedUpTo >= r.exposedAt + incubationMs + lateDataMs) {
      cell.sarCohort.add(r.device);
      if (r.laterCaseAt !== undefined) cell.sarCases.add(r.device);
    }
    if (r.isolationEndsAt > r.issuedAt && r.followedUpTo >= r.isolationEndsAt + lateDataMs) {
      cell.isolationCohort.add(r.device);
      if (r.isolationBrokenAt !== undefined) cell.isolationBroken.add(r.device);
    }
  }
}

export interface ContactCell {
  active: PeopleCount;
  pairDays: PeopleCount;
  qualifying: PeopleCount;
}

/** Device activity and encounters folded into cells by week and region, page by page. */
export class ContactTally {
  readonly cells = new Map<string, ContactCell>();

  addActivity(records: readonly ActivityRecord[]): void {
    for (const r of records) for (const key of cellsOf(r.week, r.region)) this.cell(key).active.people.add(r.device);
  }

  addEncounters(records: readonly EncounterRecord[]): void {
    for (const r of records) {
      for (const key of cellsOf(r.week, r.region)) {
        const cell = this.cell(key);
        cell.pairDays.add(r.deviceLow);
        cell.pairDays.people.add(r.deviceHigh);
        if (r.qualifying) {
          cell.qualifying.add(r.deviceLow);
          cell.qualifying.people.add(r.deviceHigh);
        }
      }
    }
  }

  cell(key: string): ContactCell {
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = { active: new PeopleCount(), pairDays: new PeopleCount(), qualifying: new PeopleCount() }));
    return cell;
  }
}
