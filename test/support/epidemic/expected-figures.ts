import { isoWeekStart, utcDayStart } from '../../../backend/src/domain/analytics/calendar.js';
import { ALL_REGIONS } from '../../../backend/src/domain/analytics/regions.js';
import type { Infection } from '../../../loadtest/src/epidemic/epidemic-truth.js';
import type { EpidemicRun, SeenWarning } from './epidemic-driver.js';

const DAY = 86_400_000;
const MIN = 60_000;

/** People counted in one cell, and how many of them have the property a rate is about. */
export interface Share {
  cohort: number;
  positive: number;
}

/**
 * What the analytics should show, computed from the simulation's truth (who met, who infected whom,
 * who reported, who isolated) and the warnings the backend issued, without the analytics code:
 * regions are the people's homes, weeks are counted here, secondary cases come from the true chains.
 * Keys are `${weekStart}|${region}` (region: the scenario's region id, or ALL_REGIONS), with
 * `|${degree}` for the degree figures.
 */
export class ExpectedFigures {
  constructor(
    private readonly run: EpidemicRun,
    /** The region id each region name gets (e.g. its geohash cell). */
    private readonly regionId: (name: string) => string,
    private readonly policy: { incubationDays: number; isolationDays: number },
  ) {}

  private regionOf(person: number): string {
    return this.regionId(this.run.model.truth.homeRegion[person]!);
  }

  private add<T>(map: Map<string, T>, keys: string[], update: (previous: T | undefined) => T): void {
    for (const key of keys) map.set(key, update(map.get(key)));
  }

  private cells(week: number, region: string, suffix = ''): string[] {
    return [`${week}|${region}${suffix}`, `${week}|${ALL_REGIONS}${suffix}`];
  }

  /** Infections that were reported by the end. */
  reported(): Infection[] {
    return this.run.model.truth.infections.filter((i) => i.reportAt < this.run.end);
  }

  newCases(): Map<string, number> {
    const out = new Map<string, number>();
    for (const i of this.reported()) this.add(out, this.cells(isoWeekStart(i.reportAt), this.regionOf(i.person)), (n) => (n ?? 0) + 1);
    return out;
  }

  /** Cases of people who had reported an earlier case more than `days` before. */
  reinfections(days: number): Map<string, number> {
    const out = new Map<string, number>();
    const reports = this.reported();
    for (const i of reports) {
      const earlier = reports.filter((e) => e.person === i.person && e.reportAt < i.reportAt);
      if (earlier.some((e) => i.reportAt - e.reportAt > days * DAY)) this.add(out, this.cells(isoWeekStart(i.reportAt), this.regionOf(i.person)), (n) => (n ?? 0) + 1);
    }
    return out;
  }

  notifications(): Map<string, number> {
    const out = new Map<string, number>();
    for (const w of this.run.warnings.values()) this.add(out, this.cells(isoWeekStart(w.issuedAt), this.regionOf(w.person), `|${w.degree}`), (n) => (n ?? 0) + 1);
    return out;
  }

  /**
   * Of the people warned (each once per cell, as the analytics count people, not warnings), those with
   * a warning followed by a reported infection within the incubation window after its exposure.
   */
  secondaryAttack(): Map<string, Share> {
    const reports = this.reported();
    return this.peopleShares(
      (w) => this.cells(isoWeekStart(w.issuedAt), this.regionOf(w.person), `|${w.degree}`),
      (w) => reports.some((r) => r.person === w.person && r.reportAt > w.exposedAt && r.reportAt <= w.exposedAt + this.policy.incubationDays * DAY),
      () => true,
    );
  }

  /**
   * Of the people warned before their isolation ended, those with no meeting of 15 minutes or more at
   * exposing range between a warning and the end of its isolation (one broken isolation counts the person).
   */
  compliance(): Map<string, Share> {
    const meetings = this.run.model.truth.meetings;
    const until = (w: SeenWarning) => w.exposedAt + this.policy.isolationDays * DAY;
    const broken = (w: SeenWarning) =>
      meetings.some((m) => (m.a === w.person || m.b === w.person) && m.qualifying && Math.min(m.end, until(w)) - Math.max(m.start, w.issuedAt) >= 15 * MIN);
    const shares = this.peopleShares((w) => this.cells(isoWeekStart(w.issuedAt), this.regionOf(w.person)), broken, (w) => until(w) > w.issuedAt);
    return new Map([...shares].map(([k, s]) => [k, { cohort: s.cohort, positive: s.cohort - s.positive }]));
  }

  /** Per cell: the people with a counted warning, and those with one for which `positive` holds. */
  private peopleShares(cellsOf: (w: SeenWarning) => string[], positive: (w: SeenWarning) => boolean, counted: (w: SeenWarning) => boolean): Map<string, Share> {
    const people = new Map<string, { cohort: Set<number>; positive: Set<number> }>();
    for (const w of this.run.warnings.values()) {
      if (!counted(w)) continue;
      const yes = positive(w);
      this.add(people, cellsOf(w), (s) => {
        const cell = s ?? { cohort: new Set<number>(), positive: new Set<number>() };
        cell.cohort.add(w.person);
        if (yes) cell.positive.add(w.person);
        return cell;
      });
    }
    return new Map([...people].map(([k, s]) => [k, { cohort: s.cohort.size, positive: s.positive.size }]));
  }

  /** Mean true secondary cases (infectees who reported) per case reported in the week. */
  secondaryCasesPerCase(): Map<string, number> {
    const sums = new Map<string, Share>();
    const reports = this.reported();
    for (const j of reports) {
      const offspring = reports.filter((i) => i.infector === j.person && i.at >= j.onset - 2 * DAY && i.at < j.reportAt).length;
      this.add(sums, this.cells(isoWeekStart(j.reportAt), this.regionOf(j.person)), (s) => ({ cohort: (s?.cohort ?? 0) + 1, positive: (s?.positive ?? 0) + offspring }));
    }
    return new Map([...sums].map(([k, s]) => [k, s.positive / s.cohort]));
  }

  /** Days between an infector's report and its infectee's, over every true chain link. */
  serialIntervals(): number[] {
    const reports = this.reported();
    return reports.flatMap((i) => {
      const infector = reports.find((j) => j.person === i.infector && i.at >= j.onset - 2 * DAY && i.at < j.reportAt);
      return infector ? [Math.round((utcDayStart(i.reportAt) - utcDayStart(infector.reportAt)) / DAY)] : [];
    });
  }

  /**
   * The realised instantaneous reproduction number of each week: its cases over the infectivity of
   * the cases before it, weighted by the scenario's own serial-interval distribution (Cori et al.'s
   * quantity, with the truth's serial intervals instead of an assumed one).
   */
  realisedR(): Map<string, number> {
    const intervals = this.serialIntervals();
    const pmf = new Map<number, number>();
    for (const d of intervals) pmf.set(d, (pmf.get(d) ?? 0) + 1 / intervals.length);
    const daily = new Map<string, Map<number, number>>();
    for (const i of this.reported()) {
      for (const region of [this.regionOf(i.person), ALL_REGIONS]) {
        const counts = daily.get(region) ?? new Map<number, number>();
        counts.set(utcDayStart(i.reportAt), (counts.get(utcDayStart(i.reportAt)) ?? 0) + 1);
        daily.set(region, counts);
      }
    }
    const out = new Map<string, number>();
    for (const [region, counts] of daily) {
      const weeks = new Set([...counts.keys()].map(isoWeekStart));
      for (const week of weeks) {
        let cases = 0;
        let infectivity = 0;
        for (let t = week; t < week + 7 * DAY; t += DAY) {
          cases += counts.get(t) ?? 0;
          for (const [lag, p] of pmf) infectivity += (counts.get(t - lag * DAY) ?? 0) * p;
        }
        if (infectivity > 0) out.set(`${week}|${region}`, cases / infectivity);
      }
    }
    return out;
  }

  /** Devices that uploaded in the week (they met someone), by home region. */
  activeDevices(): Map<string, number> {
    const people = new Map<string, Set<number>>();
    for (const m of this.run.model.truth.meetings) {
      for (const p of [m.a, m.b]) for (const key of this.cells(isoWeekStart(m.start), this.regionOf(p))) people.set(key, (people.get(key) ?? new Set()).add(p));
    }
    return new Map([...people].map(([k, s]) => [k, s.size]));
  }

  /** Pairs that met on a day, and those of them whose meeting could expose, by the week and region of the meeting. */
  pairDays(): { all: Map<string, number>; qualifying: Map<string, number> } {
    const seen = new Map<string, boolean>();
    for (const m of this.run.model.truth.meetings) {
      const key = `${utcDayStart(m.start)}|${Math.min(m.a, m.b)}|${Math.max(m.a, m.b)}|${this.regionId(m.region)}`;
      seen.set(key, (seen.get(key) ?? false) || m.qualifying);
    }
    const all = new Map<string, number>();
    const qualifying = new Map<string, number>();
    for (const [key, q] of seen) {
      const [day, , , region] = key.split('|');
      const cells = this.cells(isoWeekStart(Number(day)), region!);
      this.add(all, cells, (n) => (n ?? 0) + 1);
      if (q) this.add(qualifying, cells, (n) => (n ?? 0) + 1);
    }
    return { all, qualifying };
  }
}
