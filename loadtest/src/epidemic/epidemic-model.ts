import { randomIndex, seededRandom, type Random } from '../scheduler/random.js';
import type { EpidemicConfig } from './epidemic-config.js';
import type { EpidemicTruth, Infection, Meeting } from './epidemic-truth.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** RSSI at "near" range for the bridge's 0 dBm advertisements (attenuation 60 dB: weight 1). */
export const NEAR_RSSI = -60;

interface Person {
  id: number;
  region: number;
  household: number;
  home: { lat: number; lon: number };
  infection?: Infection | undefined;
  /** Immune after an infection until a phase takes immunity away. */
  immune: boolean;
  /** Stays home (no meetings) until then when complying with a warning. */
  isolatedUntil: number;
}

/**
 * An agent-based epidemic on a contact network of households and communities. Each day it plans
 * who meets whom (nobody isolating), passes infection on through meetings long and close enough
 * to expose, and schedules everyone infected to report a positive test the day after symptoms.
 * What it does is recorded in `truth`; what a device would upload is in `meetingsOf(day)`.
 */
export class EpidemicModel {
  readonly truth: EpidemicTruth;
  private readonly people: Person[] = [];
  private readonly random: Random;

  constructor(readonly config: EpidemicConfig) {
    this.random = seededRandom(config.seed);
    let household = 0;
    config.regions.forEach((spec, region) => {
      for (let i = 0; i < spec.people; i++) {
        if (i % config.householdSize === 0) household++;
        const jitter = () => (this.random() - 0.5) * 0.016;
        this.people.push({ id: this.people.length, region, household, home: { lat: spec.centre.lat + jitter(), lon: spec.centre.lon + jitter() }, immune: false, isolatedUntil: 0 });
      }
    });
    this.truth = { meetings: [], infections: [], acknowledgements: [], homeRegion: this.people.map((p) => config.regions[p.region]!.name) };
  }

  get size(): number {
    return this.people.length;
  }

  dayStart(day: number): number {
    return this.config.start + day * DAY;
  }

  isActive(day: number): boolean {
    return this.config.activeDays.some(([a, b]) => day >= a && day <= b);
  }

  /** Imported infections and lost immunity when a phase starts on this day. */
  startPhases(day: number): void {
    for (const phase of this.config.phases.filter((p) => p.startDay === day)) {
      for (const person of this.people) if (person.immune && this.random() < this.config.immunityLoss) person.immune = false;
      this.importInfections(day, phase.seeds, () => true);
      const infectedBefore = new Set(this.truth.infections.map((i) => i.person));
      this.importInfections(day, phase.reinfections ?? {}, (p) => infectedBefore.has(p.id));
    }
  }

  private importInfections(day: number, perRegion: Record<string, number>, eligible: (p: Person) => boolean): void {
    for (const [name, count] of Object.entries(perRegion)) {
      const region = this.config.regions.findIndex((r) => r.name === name);
      const candidates = this.people.filter((p) => p.region === region && this.susceptible(p) && eligible(p));
      for (let i = 0; i < count && candidates.length > 0; i++) {
        const [person] = candidates.splice(randomIndex(this.random, candidates.length), 1);
        this.infect(person!, undefined, this.dayStart(day) + Math.floor(this.random() * 6) * HOUR);
      }
    }
  }

  /** Who reports a positive test on this day (at 07:00 UTC). */
  reportsOn(day: number): Infection[] {
    const [from, until] = [this.dayStart(day), this.dayStart(day + 1)];
    return this.truth.infections.filter((i) => i.reportAt >= from && i.reportAt < until);
  }

  /** The person learnt of a warning: acknowledges it (or not) and isolates until 10 days after the exposure (or not). */
  warned(person: number, warning: { id: string; exposedAt: number }, at: number): { acknowledged: boolean } {
    const complied = this.random() < this.config.compliance;
    const acknowledged = this.random() < this.config.acknowledgement;
    if (complied) this.people[person]!.isolatedUntil = Math.max(this.people[person]!.isolatedUntil, warning.exposedAt + this.config.isolationDays * DAY);
    if (acknowledged) this.truth.acknowledgements.push({ person, warning: warning.id, at, complied });
    return { acknowledged };
  }

  /** The day's meetings of everyone not isolating, and the infections they pass on. */
  meetingsOf(day: number): Meeting[] {
    const start = this.dayStart(day);
    // At home while complying with a warning, and for 10 days from reporting a positive test.
    const free = (p: Person, at: number) => p.isolatedUntil <= at && !(p.infection && at >= p.infection.reportAt && at < p.infection.reportAt + 10 * DAY);
    const met = new Set<string>();
    const meetings: Meeting[] = [];
    const meet = (a: Person, b: Person, from: number, minutes: number, place: { lat: number; lon: number }, region: number) => {
      const key = a.id < b.id ? `${a.id}:${b.id}` : `${b.id}:${a.id}`;
      if (a.id === b.id || met.has(key) || !free(a, from) || !free(b, from)) return;
      met.add(key);
      meetings.push({ a: a.id, b: b.id, start: from, end: from + minutes * MIN, place, region: this.config.regions[region]!.name, rssi: NEAR_RSSI, qualifying: minutes >= 15 });
    };
    for (const household of this.households()) {
      for (let i = 0; i < household.length; i++) {
        // Evenings at home, inside one token window (18:00–21:00 UTC).
        for (let j = i + 1; j < household.length; j++) meet(household[i]!, household[j]!, start + 18 * HOUR + this.minutes(0, 30) * MIN, this.minutes(60, 150), household[0]!.home, household[0]!.region);
      }
    }
    for (const person of this.people) {
      const spec = this.config.regions[person.region]!;
      for (let n = this.meetingCount(); n > 0; n--) {
        const pool = spec.isolated || this.random() >= this.config.crossRegionShare ? this.inRegion(person.region) : this.outsideIsolated(person.region);
        const other = pool[randomIndex(this.random, pool.length)]!;
        if (other.household === person.household) continue;
        const long = this.random() < this.config.longMeetingShare;
        const place = { lat: person.home.lat + (this.random() - 0.5) * 0.004, lon: person.home.lon + (this.random() - 0.5) * 0.004 };
        meet(person, other, start + 8 * HOUR + this.minutes(0, 8 * 60) * MIN, long ? this.minutes(20, 60) : this.minutes(3, 10), place, person.region);
      }
    }
    for (const m of meetings) this.transmit(m);
    this.truth.meetings.push(...meetings);
    return meetings;
  }

  private transmit(m: Meeting): void {
    if (!m.qualifying) return;
    const [a, b] = [this.people[m.a]!, this.people[m.b]!];
    for (const [source, target] of [[a, b], [b, a]] as const) {
      if (!this.infectious(source, m.start) || !this.susceptible(target)) continue;
      const household = source.household === target.household;
      const p = (household ? this.config.householdTransmission : this.config.communityTransmission) * (this.config.regions[target.region]!.transmission ?? 1);
      if (this.random() < p) this.infect(target, source.id, m.start);
    }
  }

  private infect(person: Person, infector: number | undefined, at: number): void {
    const [lo, hi] = this.config.incubationDays;
    const onset = at + this.minutes(lo * 24 * 60, hi * 24 * 60) * MIN;
    const reportDay = Math.floor((onset - this.config.start) / DAY) + 1;
    const infection: Infection = { person: person.id, infector, at, onset, reportAt: this.dayStart(reportDay) + 7 * HOUR };
    person.infection = infection;
    person.immune = true;
    this.truth.infections.push(infection);
  }

  /** Infectious from two days before symptoms until the report (then at home). */
  private infectious(p: Person, at: number): boolean {
    const i = p.infection;
    return i !== undefined && at >= i.onset - 2 * DAY && at < i.reportAt;
  }

  private susceptible(p: Person): boolean {
    return !p.immune;
  }

  private households(): Person[][] {
    const byHousehold = new Map<number, Person[]>();
    for (const p of this.people) byHousehold.set(p.household, [...(byHousehold.get(p.household) ?? []), p]);
    return [...byHousehold.values()];
  }

  private inRegion(region: number): Person[] {
    return this.people.filter((p) => p.region === region);
  }

  private outsideIsolated(region: number): Person[] {
    return this.people.filter((p) => p.region !== region && !this.config.regions[p.region]!.isolated);
  }

  private meetingCount(): number {
    const mean = this.config.communityMeetings;
    const base = Math.floor(mean);
    return base + (this.random() < mean - base ? 1 : 0);
  }

  private minutes(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }
}
