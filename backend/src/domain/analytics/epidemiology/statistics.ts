import gammaQuantile from '@stdlib/stats-base-dists-gamma-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/** A point estimate with its 95 % interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

const LEVEL = 0.95;

/**
 * Wilson score interval of a proportion (Wilson 1927; recommended over the Wald interval by
 * Brown, Cai & DasGupta, Statistical Science 16:101–133, 2001): well-behaved near 0 and 1 and
 * for small cohorts.
 */
export function wilsonInterval(successes: number, trials: number): Estimate {
  if (trials <= 0) throw new RangeError('a proportion needs at least one trial');
  const z = normalQuantile(1 - (1 - LEVEL) / 2, 0, 1);
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The 2.5 % and 97.5 % quantiles of a gamma distribution (shape, scale), and its mean. */
export function gammaEstimate(shape: number, scale: number): Estimate {
  const rate = 1 / scale;
  return { value: shape * scale, low: gammaQuantile((1 - LEVEL) / 2, shape, rate), high: gammaQuantile(1 - (1 - LEVEL) / 2, shape, rate) };
}

/**
 * Percentile bootstrap of a mean (Efron & Tibshirani, An Introduction to the Bootstrap, 1993):
 * resamples the units with replacement, so an overdispersed offspring distribution (a few
 * superspreaders) widens the interval as it should. Seeded, and drawn from the values in sorted
 * order, so the same data give the same interval in whatever order a store returned them.
 */
export function bootstrapMean(unordered: readonly number[], seed: number, resamples = 2000): Estimate {
  if (unordered.length === 0) throw new RangeError('a mean needs at least one value');
  const values = [...unordered].sort((a, b) => a - b);
  const rng = xoroshiro128plus(seed);
  const n = values.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[uniformInt(rng, 0, n - 1)]!;
    means[r] = sum / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))]!;
  return { value: values.reduce((a, b) => a + b, 0) / n, low: at((1 - LEVEL) / 2), high: at(1 - (1 - LEVEL) / 2) };
}

/** A stable 32-bit seed from text (FNV-1a), so each cell's bootstrap is reproducible. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0;
}
