import { steady, type Scenario } from './scenario.js';

export const smoke: Scenario = {
  name: 'smoke',
  description: 'Five seconds, 20 devices: every endpoint is exercised (full batches, token rotation, polls, infection reports).',
  durationMs: 5_000,
  devices: 20,
  // Chosen so each of 20 devices fills a batch of 50 about every two seconds (time compression 10,800×).
  scale: 0.0045,
  arrivals: 'poisson',
  // Several infection reports even in a short run, so the official flow is always exercised.
  population: () => ({ infectionReportsPerDay: 24 }),
  intensity: steady,
};
