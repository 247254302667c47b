import { DESIGN_BASELINE, PROJECT_CHOICES, type CapacityAssumptions } from './assumptions.js';
import { computeMonthlyCost } from './cost.js';
import { computeDeploymentCost } from './deployment-cost.js';
import { DEPLOYMENT_ASSUMPTIONS, deploymentSizing, type DeploymentAssumptions } from './deployment.js';
import { computeCapacity } from './model.js';
import { applyMeasurements } from './measured/apply-measurements.js';
import type { MeasuredInputs } from './measured/measured-inputs.js';
import { searchCpuSizing, searchCpuNote } from './measured/search-cpu.js';
import type { PriceTable } from './prices.js';
import type { ProfileResult } from './render.js';

/** Measurements from benchmark results (--measured), and the assumptions a flag set, which they do not replace. */
export interface MeasuredOptions {
  inputs: MeasuredInputs;
  explicit: ReadonlySet<keyof CapacityAssumptions>;
}

/**
 * The design's figures, this project's choices, and the AWS deployment of a stage as configured
 * (infra/aws/config/stages.ts), side by side; user overrides apply to all three.
 */
export function compareProfiles(
  overrides: Partial<CapacityAssumptions>,
  prices: PriceTable,
  deployment: { stage: string; assumptions: DeploymentAssumptions } = { stage: 'prod', assumptions: DEPLOYMENT_ASSUMPTIONS },
  measured?: MeasuredOptions,
): ProfileResult[] {
  const design: CapacityAssumptions = { ...DESIGN_BASELINE, ...overrides };
  const project: CapacityAssumptions = { ...design, ...PROJECT_CHOICES, ...overrides };
  const sizing = deploymentSizing(deployment.stage);
  const assumedDeployed: CapacityAssumptions = { ...project, retentionDays: sizing.retentionDays, lambdaMemoryMb: sizing.apiMemoryMb, ...overrides };
  const measure = (a: CapacityAssumptions, memory: { apiMb: number; consumerMb: number }) => (measured ? applyMeasurements(a, measured.inputs, memory, measured.explicit) : undefined);
  const deployedMeasured = measure(assumedDeployed, { apiMb: sizing.apiMemoryMb, consumerMb: sizing.consumerMemoryMb });
  const deployed = deployedMeasured?.assumptions ?? assumedDeployed;
  const deployedFigures = computeCapacity(deployed);
  const { costs, searchStorage } = computeDeploymentCost(deployed, deployedFigures, prices, sizing, deployment.assumptions);
  const notes = searchStorage
    ? [`search storage: ${Math.round(searchStorage.neededGb).toLocaleString('en-US')} GB needed, ${searchStorage.configuredGb.toLocaleString('en-US')} GB configured (${searchStorage.configuredGb >= searchStorage.neededGb ? 'enough' : 'NOT enough: raise search.volumeGb or the data nodes'})`]
    : [];
  const nodeCpu = measured?.inputs.searchNodeCpuPerContact;
  const searchCpu =
    nodeCpu && sizing.search.kind === 'opensearch-service'
      ? searchCpuSizing({ peakContactsPerSecond: deployedFigures.uploadTpsUnbatched, nodeMicrosecondsPerContact: nodeCpu.value, replicas: sizing.search.replicas, dataNodes: sizing.search.dataNodes })
      : undefined;
  if (searchCpu) notes.push(searchCpuNote(searchCpu, sizing.search.kind === 'opensearch-service' ? sizing.search.dataNodes : undefined));
  const withMeasured = (a: CapacityAssumptions) => measure(a, { apiMb: a.lambdaMemoryMb, consumerMb: a.lambdaMemoryMb });
  return [
    profile('design', withMeasured(design), design, prices),
    profile('this project', withMeasured(project), project, prices),
    {
      name: `deployed (${sizing.stage})`,
      assumptions: deployed,
      figures: deployedFigures,
      costs,
      notes,
      deployment: deployment.assumptions,
      ...(deployedMeasured ? { measured: { ...deployedMeasured, ...(searchCpu ? { searchCpu } : {}) } } : {}),
    },
  ];
}

function profile(name: string, measured: ReturnType<typeof applyMeasurements> | undefined, assumed: CapacityAssumptions, prices: PriceTable): ProfileResult {
  const assumptions = measured?.assumptions ?? assumed;
  const figures = computeCapacity(assumptions);
  return { name, assumptions, figures, costs: computeMonthlyCost(assumptions, figures, prices), ...(measured ? { measured } : {}) };
}
