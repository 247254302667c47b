import type { ExposurePolicy } from '../../../backend/src/domain/exposure/exposure-policy.js';
import type { CaseTruth } from '../truth/rule-truth.js';
import { checkAgainstTruth, infectionReach, type InfectionReach, type TruthCheck } from '../truth/truth-check.js';
import type { Town } from '../town/town-model.js';
import type { TownRunResult } from './town-run.js';

/** One policy's run, judged: what the stores say, against both truths. */
export interface PolicyOutcome {
  label: string;
  policy: ExposurePolicy;
  run: TownRunResult;
  /** caseId → person → degree, from the exposure ledger. */
  warnedByCase: Map<string, Map<number, number>>;
  /** People holding any warning. */
  warnedPeople: Set<number>;
  /** Phone warnings whose API answer differs from the ledger (should be none). */
  apiMismatches: string[];
  truth: TruthCheck;
  reach: InfectionReach;
}

export function judgeRun(town: Town, run: TownRunResult, truth: readonly CaseTruth[], label: string, policy: ExposurePolicy): PolicyOutcome {
  const warnedByCase = new Map<string, Map<number, number>>();
  const apiMismatches: string[] = [];
  for (const [person, warnings] of run.storedWarnings) {
    for (const w of warnings) {
      const byPerson = warnedByCase.get(w.caseId) ?? new Map<number, number>();
      byPerson.set(person, w.degree);
      warnedByCase.set(w.caseId, byPerson);
      const api = run.phoneNotifications.get(person);
      if (api === undefined) continue;
      const seen = api.find((n) => n.id === w.id);
      if (!seen || seen.degree !== w.degree || Math.abs(seen.probability - w.probability) > 1e-9) apiMismatches.push(`${town.people[person]!.name}: ledger ${w.id} degree ${w.degree}, API ${seen ? `degree ${seen.degree}` : 'nothing'}`);
    }
  }
  for (const [person, api] of run.phoneNotifications) {
    for (const n of api) if (!(run.storedWarnings.get(person) ?? []).some((w) => w.id === n.id)) apiMismatches.push(`${town.people[person]!.name}: API ${n.id} not in the ledger`);
  }
  const caseIds = new Map(run.state.cases.map((c) => [c.caseIndex, c.caseId]));
  const warnedPeople = new Set([...warnedByCase.values()].flatMap((m) => [...m.keys()]));
  return {
    label,
    policy,
    run,
    warnedByCase,
    warnedPeople,
    apiMismatches,
    truth: checkAgainstTruth(truth, caseIds, warnedByCase),
    reach: infectionReach(town, warnedPeople),
  };
}

/** "hop 1/3 · warn while p ≥ 0.1 · 15 weighted min". */
export function policyLabel(policy: ExposurePolicy): string {
  return `hop ${fraction(policy.hopProbability)} · warn while p ≥ ${policy.minNotifyProbability} · ${policy.proximity.minWeightedMinutes} weighted min`;
}

function fraction(p: number): string {
  const inverse = 1 / p;
  return Math.abs(inverse - Math.round(inverse)) < 1e-9 ? `1/${Math.round(inverse)}` : String(Number(p.toFixed(4)));
}
