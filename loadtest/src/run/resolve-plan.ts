import { DESIGN_BASELINE } from '../capacity/assumptions.js';
import { computeCapacity } from '../capacity/model.js';
import type { LoadOptions } from '../config/load-options.js';
import { DEFAULT_POPULATION, type PopulationConfig } from '../population/population-config.js';
import { compressionForUploadRate } from '../population/traffic-rates.js';
import type { ArrivalProcess } from '../scheduler/arrivals.js';
import { SCENARIOS } from '../scenarios/index.js';
import type { Scenario } from '../scenarios/scenario.js';

/** Batched uploads per second at national peak, from the capacity model's design baseline (~2,222). */
export const FULL_SCALE_UPLOADS_PER_SECOND = computeCapacity(DESIGN_BASELINE).uploadTpsBatched;

export interface RunPlan {
  scenario: Scenario;
  durationMs: number;
  scale: number;
  arrivals: ArrivalProcess;
  population: PopulationConfig;
}

/** Merges the scenario's defaults with the flags and derives the time compression (or the scale, if compression is given). */
export function resolvePlan(options: LoadOptions): RunPlan {
  const scenario = SCENARIOS[options.scenario];
  const devices = options.devices ?? scenario.devices;
  const base = {
    ...DEFAULT_POPULATION,
    ...scenario.population(devices),
    devices,
    tokensPerCall: options['tokens-per-call'],
    ...(options['flush-after'] === undefined ? {} : { flushAfterMinutes: options['flush-after'] / 60_000 }),
  };
  const oneXCompression = compressionForUploadRate(FULL_SCALE_UPLOADS_PER_SECOND, base);
  const scale = options.compression !== undefined ? options.compression / oneXCompression : (options.scale ?? scenario.scale);
  return {
    scenario,
    durationMs: options.duration ?? scenario.durationMs,
    scale,
    arrivals: options.arrivals ?? scenario.arrivals,
    population: { ...base, timeCompression: options.compression ?? oneXCompression * scale },
  };
}
