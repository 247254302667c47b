import { MS_PER_DAY } from '../../time.js';
import { utcDayStart } from '../calendar.js';
import { gammaEstimate, type Estimate } from './statistics.js';

/**
 * The instantaneous reproduction number from case counts, by the renewal equation of Cori,
 * Ferguson, Fraser & Cauchemez (Am J Epidemiol 178:1505–1512, 2013), the method of EpiEstim: with
 * daily cases I and serial-interval weights w, the infectivity on day t is Λ_t = Σ_s I_{t−s} w_s, and
 * over a window the posterior of R is Gamma(a + ΣI, 1 / (1/b + ΣΛ)) under a Gamma(a, b) prior.
 * EpiEstim's default prior (mean 5, SD 5: shape 1, scale 5) is used.
 */
export const EPIESTIM_PRIOR = { shape: 1, scale: 5 } as const;

export interface RenewalEstimate {
  estimate: Estimate;
  /** Cases in the window: the people the estimate rests on. */
  cases: number;
}

/**
 * `daily[i]` is the count of day `firstDay + i·day`; the window is the days [from, until). Undefined
 * when nothing before the window could have caused its cases (ΣΛ = 0).
 */
export function renewalEstimate(daily: readonly number[], firstDay: number, from: number, until: number, weights: readonly number[]): RenewalEstimate | undefined {
  let cases = 0;
  let infectivity = 0;
  for (let t = Math.round((from - firstDay) / MS_PER_DAY); t < Math.round((until - firstDay) / MS_PER_DAY); t++) {
    if (t < 0) continue;
    cases += daily[t] ?? 0;
    for (let s = 1; s < weights.length && s <= t; s++) infectivity += (daily[t - s] ?? 0) * weights[s]!;
  }
  if (infectivity <= 0) return undefined;
  return { estimate: gammaEstimate(EPIESTIM_PRIOR.shape + cases, 1 / (1 / EPIESTIM_PRIOR.scale + infectivity)), cases };
}

export interface ChainCase {
  id: string;
  reportedAt: number;
  /** Cases whose first-degree warning this case's device held. */
  infectors: readonly string[];
}

/**
 * How many secondary cases each case caused, from the traced chains: the likelihood-based method of
 * Wallinga & Teunis (Am J Epidemiol 160:509–516, 2004), restricted to the candidate infectors the
 * contact data name. Each case's infection is shared among its candidates that reported before it,
 * in proportion to the serial-interval weight of the days between the reports; a case with no
 * candidate was infected outside the traced network and is counted in none. R_j is the sum of the
 * shares case j receives.
 */
export function secondaryCases(cases: readonly ChainCase[], weights: readonly number[]): Map<string, number> {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const secondary = new Map<string, number>(cases.map((c) => [c.id, 0]));
  for (const infectee of cases) {
    const candidates = infectee.infectors.map((id) => byId.get(id)).filter((c): c is ChainCase => c !== undefined && c.reportedAt < infectee.reportedAt);
    if (candidates.length === 0) continue;
    const lag = (c: ChainCase) => Math.round((utcDayStart(infectee.reportedAt) - utcDayStart(c.reportedAt)) / MS_PER_DAY);
    const raw = candidates.map((c) => weights[lag(c)] ?? 0);
    const total = raw.reduce((a, b) => a + b, 0);
    // Candidates all outside the serial interval's support (same day, or far apart): an equal share each.
    const shares = total > 0 ? raw.map((w) => w / total) : candidates.map(() => 1 / candidates.length);
    candidates.forEach((c, i) => secondary.set(c.id, secondary.get(c.id)! + shares[i]!));
  }
  return secondary;
}
