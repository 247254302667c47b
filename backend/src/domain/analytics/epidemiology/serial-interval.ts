import gammaCdf from '@stdlib/stats-base-dists-gamma-cdf';

/**
 * The serial interval: days from an infector's case to its infectee's case. Defaults: mean 4.7
 * days, SD 2.9 days, the COVID-19 estimate of Nishiura, Linton & Akhmetzhanov (Int J Infect Dis
 * 93:284–286, 2020); officials set their pathogen's in configuration.
 */
export interface SerialInterval {
  meanDays: number;
  sdDays: number;
}

/**
 * Probability that the serial interval is k days, for k = 0, 1, … until 99 % of it is covered: the
 * discretisation of a gamma distribution shifted by one day used by EpiEstim (Cori, Ferguson,
 * Fraser & Cauchemez, Am J Epidemiol 178:1505–1512, 2013, Web Appendix 11), so w[0] = 0, cut where
 * the last 1 % of the tail begins (which bounds how long a cohort's follow-up lasts) and
 * renormalised to sum to 1.
 */
const COVERED = 0.99;

export function discretisedSerialInterval(si: SerialInterval): number[] {
  if (!(si.meanDays > 1 && si.sdDays > 0)) throw new RangeError('the serial interval needs a mean above 1 day and a positive SD');
  const shape = ((si.meanDays - 1) / si.sdDays) ** 2;
  const scale = si.sdDays ** 2 / (si.meanDays - 1);
  const F = (x: number, a: number) => (x <= 0 ? 0 : gammaCdf(x, a, 1 / scale));
  const weights: number[] = [];
  let total = 0;
  for (let k = 0; k < 120 && (k < 2 || total < COVERED); k++) {
    const w =
      k * F(k, shape) + (k - 2) * F(k - 2, shape) - 2 * (k - 1) * F(k - 1, shape) + shape * scale * (2 * F(k - 1, shape + 1) - F(k - 2, shape + 1) - F(k, shape + 1));
    const weight = k === 0 ? 0 : Math.max(0, w);
    weights.push(weight);
    total += weight;
  }
  return weights.map((w) => w / total);
}
