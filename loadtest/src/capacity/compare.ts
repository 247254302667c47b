import { DESIGN_BASELINE, PROJECT_CHOICES, type CapacityAssumptions } from './assumptions.js';
import { computeMonthlyCost } from './cost.js';
import { computeCapacity } from './model.js';
import type { PriceTable } from './prices.js';
import type { ProfileResult } from './render.js';

/** The design's figures and this project's choices side by side; user overrides apply to both. */
export function compareProfiles(overrides: Partial<CapacityAssumptions>, prices: PriceTable): ProfileResult[] {
  const design: CapacityAssumptions = { ...DESIGN_BASELINE, ...overrides };
  const project: CapacityAssumptions = { ...design, ...PROJECT_CHOICES, ...overrides };
  return [
    profile('design', design, prices),
    profile('this project', project, prices),
  ];
}

function profile(name: string, assumptions: CapacityAssumptions, prices: PriceTable): ProfileResult {
  const figures = computeCapacity(assumptions);
  return { name, assumptions, figures, costs: computeMonthlyCost(assumptions, figures, prices) };
}
