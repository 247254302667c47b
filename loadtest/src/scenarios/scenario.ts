import type { ArrivalProcess } from '../scheduler/arrivals.js';
import type { PopulationConfig } from '../population/population-config.js';

export const SCENARIO_NAMES = ['national-peak', 'soak', 'spike', 'smoke'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/**
 * A scenario fixes the shape of a run; flags override its defaults. Load is expressed as `scale`, the
 * fraction of the design's national peak (48M users), and the population's time compression is derived
 * so that `devices` simulated devices produce exactly that load.
 */
export interface Scenario {
  name: ScenarioName;
  description: string;
  durationMs: number;
  devices: number;
  scale: number;
  arrivals: ArrivalProcess;
  /** Behaviour that differs from the design defaults, given the number of devices. */
  population: (devices: number) => Partial<PopulationConfig>;
  /** Multiplier on every rate over the run (1 = steady). */
  intensity: (elapsedMs: number, durationMs: number) => number;
}

export const steady = (): number => 1;
