import { nationalPeak } from './national-peak.js';
import type { Scenario, ScenarioName } from './scenario.js';
import { smoke } from './smoke.js';
import { soak } from './soak.js';
import { spike } from './spike.js';

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  'national-peak': nationalPeak,
  soak,
  spike,
  smoke,
};
