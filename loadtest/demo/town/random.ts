import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * Seeded randomness for the town. Each concern draws from its own stream (the town's layout, the
 * air's noise, the epidemic, each device), so that the number of draws one makes never shifts
 * another's: the same seed tells the same story, whatever the backend's timing.
 */
export class Random {
  private readonly generator: RandomGenerator;

  constructor(seed: number, stream = '') {
    this.generator = xoroshiro128plus(mix(seed, stream));
  }

  /** Another independent stream of the same seed. */
  static stream(seed: number, name: string): Random {
    return new Random(seed, name);
  }

  /** Uniform in [0, 1). */
  readonly next = (): number => uniformFloat64(this.generator);

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** A 32-bit seed per (seed, stream name): FNV-1a over the name, mixed with the seed. */
function mix(seed: number, stream: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ (seed >>> 0);
}
