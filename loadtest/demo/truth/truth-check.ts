import type { Town } from '../town/town-model.js';
import type { CaseTruth } from './rule-truth.js';

/** One case's warnings (person → degree), as the system holds them, against the truth. */
export interface CaseCheck {
  caseIndex: number;
  caseId: string;
  /** Had a chain of qualifying encounters beyond doubt, and were warned (at a degree the truth allows). */
  matched: number[];
  /** Had such a chain, and were not warned. */
  missed: number[];
  /** Were warned without any chain, even with every signal 2 dB stronger. */
  extra: number[];
  /** Were warned, but at a degree the truth does not allow. */
  wrongDegree: { person: number; degree: number; allowed: [number, number] }[];
  /** Within the measurement's tolerance: warned or not, both are right. */
  borderline: { person: number; warned: boolean }[];
}

export interface TruthCheck {
  cases: CaseCheck[];
  mustWarn: number;
  warned: number;
  matched: number;
  missed: number;
  extra: number;
  wrongDegree: number;
  borderline: number;
  /** Everyone with a qualifying chain was warned, at an allowed degree, and no one else. */
  agrees: boolean;
}

/**
 * The system's warnings against the simulator's ground truth: everyone who had a chain of
 * qualifying encounters from a case must hold that case's warning at the chain's degree, and no
 * one else may, up to the measurement's tolerance (SIGNAL_TOLERANCE_DB).
 */
export function checkAgainstTruth(truth: readonly CaseTruth[], caseIds: ReadonlyMap<number, string>, warnedByCase: ReadonlyMap<string, ReadonlyMap<number, number>>): TruthCheck {
  const cases = truth.map((t): CaseCheck => {
    const caseId = caseIds.get(t.caseIndex) ?? '';
    const warned = warnedByCase.get(caseId) ?? new Map<number, number>();
    const check: CaseCheck = { caseIndex: t.caseIndex, caseId, matched: [], missed: [], extra: [], wrongDegree: [], borderline: [] };
    for (const person of new Set([...t.mayWarn.keys(), ...warned.keys()])) {
      const degree = warned.get(person);
      const must = t.mustWarn.get(person);
      const may = t.mayWarn.get(person);
      if (may === undefined) {
        if (degree !== undefined) check.extra.push(person);
        continue;
      }
      if (must === undefined) {
        check.borderline.push({ person, warned: degree !== undefined });
        continue;
      }
      if (degree === undefined) check.missed.push(person);
      else if (degree < may || degree > must) check.wrongDegree.push({ person, degree, allowed: [may, must] });
      else check.matched.push(person);
    }
    return check;
  });
  const sum = (f: (c: CaseCheck) => number) => cases.reduce((n, c) => n + f(c), 0);
  const result = {
    cases,
    mustWarn: truth.reduce((n, t) => n + t.mustWarn.size, 0),
    warned: [...warnedByCase.values()].reduce((n, m) => n + m.size, 0),
    matched: sum((c) => c.matched.length),
    missed: sum((c) => c.missed.length),
    extra: sum((c) => c.extra.length),
    wrongDegree: sum((c) => c.wrongDegree.length),
    borderline: sum((c) => c.borderline.length),
  };
  return { ...result, agrees: result.missed === 0 && result.extra === 0 && result.wrongDegree === 0 };
}

/** What the epidemic's truth says of a set of warned people: whom they reach, whom they alarm for nothing. */
export interface InfectionReach {
  warnedPeople: number;
  /** Infected in the town (not the reported cases themselves). */
  infected: number;
  infectedWarned: number;
  /** Warned, never infected. */
  warnedNeverInfected: number;
}

export function infectionReach(town: Town, warnedPeople: ReadonlySet<number>): InfectionReach {
  const cases = new Set(town.cases.map((c) => c.person));
  const infected = new Set(town.infections.map((i) => i.person).filter((p) => !cases.has(p)));
  const everInfected = new Set(town.infections.map((i) => i.person));
  return {
    warnedPeople: warnedPeople.size,
    infected: infected.size,
    infectedWarned: [...infected].filter((p) => warnedPeople.has(p)).length,
    warnedNeverInfected: [...warnedPeople].filter((p) => !everInfected.has(p)).length,
  };
}
