import { coStays } from './co-presence.js';
import { spreadInfection } from './epidemic.js';
import { buildPopulation } from './population.js';
import { Random } from './random.js';
import { buildSchedule, isolateFrom } from './schedule.js';
import { DAY_MINUTES, MINUTE_MS, TOWN_AIR, type CaseReport, type Town } from './town-model.js';

export interface TownOptions {
  seed: number;
  people: number;
  days: number;
  /** Epoch ms of the first midnight. */
  start: number;
}

const REPORT_MINUTE_OF_DAY = 20 * 60;

/**
 * The whole town, decided before anything runs: households, workplaces, a school, a bus and a
 * party; everyone's stays; the index cases (infected before the first day, reporting during it);
 * and who else really gets infected. The same seed gives the same town.
 */
export function buildTown(options: TownOptions): Town {
  const { seed, days } = options;
  const minutes = days * DAY_MINUTES;
  const pop = buildPopulation(options.people, Random.stream(seed, 'population'));
  let stays = buildSchedule(pop, days, Random.stream(seed, 'schedule'));
  const index = indexCases(pop.people.filter((p) => p.carries === 'phone').map((p) => p.id), days, Random.stream(seed, 'index cases'));
  for (const c of index) stays[c.person] = isolateFrom(stays[c.person]!, c.reportAt, pop.assignments[c.person]!.home, minutes);
  stays = stays.map((list) => list.map((s) => ({ ...s, to: Math.min(s.to, minutes) })).filter((s) => s.to > s.from));
  const together = coStays(stays, pop.rooms, TOWN_AIR.rangeM);
  const epidemic = spreadInfection(pop.people, index, together, minutes, Random.stream(seed, 'epidemic'));
  const cases = [...index, ...epidemic.laterCases].sort((a, b) => a.reportAt - b.reportAt);
  return { seed, start: options.start, minutes, people: pop.people, rooms: pop.rooms, stays, cases, infections: epidemic.infections, air: TOWN_AIR };
}

/**
 * About one person in seventy was infected a few days before the first morning; they test
 * positive at eight in the evening of days spread over the first two thirds of the run, their
 * symptoms having begun one to two days earlier.
 */
function indexCases(candidates: readonly number[], days: number, random: Random): CaseReport[] {
  const count = Math.max(2, Math.round((candidates.length * 1.1) / 70));
  const chosen = random.shuffled(candidates).slice(0, count);
  return chosen
    .map((person, i) => {
      const day = Math.min(days - 1, Math.floor(((i + 0.5) / count) * Math.max(1, days * 0.67)));
      const reportAt = day * DAY_MINUTES + REPORT_MINUTE_OF_DAY;
      const onsetAt = reportAt - Math.round(random.between(1, 2) * DAY_MINUTES);
      return { person, reportAt, onsetAt };
    })
    .sort((a, b) => a.reportAt - b.reportAt);
}

/** Epoch ms of a town minute. */
export function townTime(town: Pick<Town, 'start'>, minute: number): number {
  return town.start + minute * MINUTE_MS;
}
