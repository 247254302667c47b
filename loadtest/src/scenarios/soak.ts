import { steady, type Scenario } from './scenario.js';

export const soak: Scenario = {
  name: 'soak',
  description: 'Long steady run at a modest share of national peak, to expose leaks, queue growth and slow drift.',
  durationMs: 10 * 60_000,
  devices: 300,
  scale: 0.002,
  arrivals: 'poisson',
  population: (devices) => ({ infectionReportsPerDay: devices * 0.005 }),
  intensity: steady,
};
