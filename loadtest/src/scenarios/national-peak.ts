import { steady, type Scenario } from './scenario.js';

export const nationalPeak: Scenario = {
  name: 'national-peak',
  description:
    'Daytime peak of a 48M-user deployment scaled by --scale: ~4,444 token registrations/s and ~2,222 batched uploads/s at scale 1.',
  durationMs: 60_000,
  devices: 500,
  scale: 0.01,
  arrivals: 'poisson',
  // An epidemic peak: 1% of people report an infection per simulated day.
  population: (devices) => ({ infectionReportsPerDay: devices * 0.01 }),
  intensity: steady,
};
