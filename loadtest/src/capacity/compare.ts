import { DESIGN_BASELINE, PROJECT_CHOICES, type CapacityAssumptions } from './assumptions.js';
import { computeMonthlyCost } from './cost.js';
import { computeDeploymentCost } from './deployment-cost.js';
import { DEPLOYMENT_ASSUMPTIONS, deploymentSizing, type DeploymentAssumptions } from './deployment.js';
import { computeCapacity } from './model.js';
import type { PriceTable } from './prices.js';
import type { ProfileResult } from './render.js';

/**
 * The design's figures, this project's choices, and the AWS deployment of a stage as configured
 * (infra/aws/config/stages.ts), side by side; user overrides apply to all three.
 */
export function compareProfiles(
  overrides: Partial<CapacityAssumptions>,
  prices: PriceTable,
  deployment: { stage: string; assumptions: DeploymentAssumptions } = { stage: 'prod', assumptions: DEPLOYMENT_ASSUMPTIONS },
): ProfileResult[] {
  const design: CapacityAssumptions = { ...DESIGN_BASELINE, ...overrides };
  const project: CapacityAssumptions = { ...design, ...PROJECT_CHOICES, ...overrides };
  const sizing = deploymentSizing(deployment.stage);
  const deployed: CapacityAssumptions = { ...project, retentionDays: sizing.retentionDays, lambdaMemoryMb: sizing.apiMemoryMb, ...overrides };
  const deployedFigures = computeCapacity(deployed);
  const { costs, searchStorage } = computeDeploymentCost(deployed, deployedFigures, prices, sizing, deployment.assumptions);
  const notes = searchStorage
    ? [`search storage: ${Math.round(searchStorage.neededGb).toLocaleString('en-US')} GB needed, ${searchStorage.configuredGb.toLocaleString('en-US')} GB configured (${searchStorage.configuredGb >= searchStorage.neededGb ? 'enough' : 'NOT enough: raise search.volumeGb or the data nodes'})`]
    : [];
  return [
    profile('design', design, prices),
    profile('this project', project, prices),
    { name: `deployed (${sizing.stage})`, assumptions: deployed, figures: deployedFigures, costs, notes, deployment: deployment.assumptions },
  ];
}

function profile(name: string, assumptions: CapacityAssumptions, prices: PriceTable): ProfileResult {
  const figures = computeCapacity(assumptions);
  return { name, assumptions, figures, costs: computeMonthlyCost(assumptions, figures, prices) };
}
