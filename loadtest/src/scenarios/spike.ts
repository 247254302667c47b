import type { Scenario } from './scenario.js';

const SPIKE_FACTOR = 5;

export const spike: Scenario = {
  name: 'spike',
  description: `Steady load with a ${SPIKE_FACTOR}× burst in the middle fifth of the run (40%–60%), to see the queue absorb and drain it.`,
  durationMs: 60_000,
  devices: 400,
  scale: 0.005,
  arrivals: 'poisson',
  population: (devices) => ({ infectionReportsPerDay: devices * 0.01 }),
  intensity: (elapsedMs, durationMs) => (elapsedMs >= durationMs * 0.4 && elapsedMs < durationMs * 0.6 ? SPIKE_FACTOR : 1),
};
