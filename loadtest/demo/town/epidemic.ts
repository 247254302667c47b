import type { CoStay } from './co-presence.js';
import type { Random } from './random.js';
import { DAY_MINUTES, type CaseReport, type Infection, type Person } from './town-model.js';

/** Transmission hazard per minute at `d` metres: most of it within a couple of metres. */
const BETA_PER_MINUTE = 0.0015;
const hazard = (d: number) => BETA_PER_MINUTE * Math.exp(-d / 1.5);
const LATENT_DAYS = [2, 3] as const;
const INCUBATION_DAYS = [4, 6] as const;
const REPORTING_SHARE = 0.8;
const REPORT_HOUR = 20;

export interface Epidemic {
  infections: Infection[];
  /** Later cases: people infected in the town who test positive and report before it ends. */
  laterCases: CaseReport[];
}

/**
 * Who really gets infected: index cases are infectious from two days before their symptoms until
 * the end; anyone else may be infected through each minute spent near an infectious person (a
 * hazard falling with distance), becomes infectious two to three days later, and, having a phone,
 * may test positive and report. Warned people change nothing (so that two policies are compared
 * on the same town); index cases stay at home once they reported (their schedule says so), later
 * cases, who report near the end of a few days, carry on.
 */
export function spreadInfection(people: readonly Person[], index: readonly CaseReport[], together: readonly CoStay[], minutes: number, random: Random): Epidemic {
  const infections = new Map<number, Infection>();
  for (const c of index) {
    const infectiousFrom = c.onsetAt - 2 * DAY_MINUTES;
    infections.set(c.person, { person: c.person, infectedAt: infectiousFrom - Math.round(random.between(...LATENT_DAYS) * DAY_MINUTES), infectiousFrom, by: undefined, room: undefined });
  }
  const laterCases: CaseReport[] = [];
  // In start order: an infection makes its person infectious days later, after every co-stay still open.
  for (const s of together) {
    for (const [source, target] of [
      [s.a, s.b],
      [s.b, s.a],
    ] as const) {
      const src = infections.get(source);
      if (!src || infections.has(target)) continue;
      const from = Math.max(s.from, src.infectiousFrom);
      if (from >= s.to) continue;
      const p = 1 - Math.exp(-hazard(s.distanceM) * (s.to - from));
      if (!random.chance(p)) continue;
      const infectedAt = from + Math.floor(random.next() * (s.to - from));
      const infectiousFrom = infectedAt + Math.round(random.between(...LATENT_DAYS) * DAY_MINUTES);
      infections.set(target, { person: target, infectedAt, infectiousFrom, by: source, room: s.rooms[source === s.a ? 1 : 0] });
      const onsetAt = infectedAt + Math.round(random.between(...INCUBATION_DAYS) * DAY_MINUTES);
      const reportDay = Math.floor((onsetAt + Math.round(random.between(0.5, 1.5) * DAY_MINUTES)) / DAY_MINUTES);
      const reportAt = reportDay * DAY_MINUTES + REPORT_HOUR * 60;
      if (people[target]!.carries === 'phone' && random.chance(REPORTING_SHARE) && reportAt < minutes - 60) laterCases.push({ person: target, reportAt, onsetAt });
    }
  }
  return { infections: [...infections.values()].sort((x, y) => x.infectedAt - y.infectedAt), laterCases: laterCases.sort((x, y) => x.reportAt - y.reportAt) };
}
