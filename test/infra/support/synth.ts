import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageConfig } from '../../../infra/aws/config/stage-config.js';
import type { ProxitraceEdgeStack } from '../../../infra/aws/edge-stack.js';
import type { ProxitraceStack } from '../../../infra/aws/proxitrace-stack.js';
import { buildStage } from '../../../infra/aws/stage.js';

export interface Synthesized {
  config: StageConfig;
  stack: ProxitraceStack;
  template: Template;
  /** The stage's edge stack (us-east-1): the WAF web ACL. */
  edge: { stack: ProxitraceEdgeStack; template: Template; json: Record<string, any>; templateFile: string };
  /** The raw template, as CloudFormation (and the linter) reads it. */
  json: Record<string, any>;
  templateFile: string;
  outdir: string;
  /** cdk-nag's unacknowledged findings (rule and construct path), from the validation report. */
  nagFindings: string[];
  /** The error synthesis threw, if nag failed it. */
  synthError?: Error;
}

/**
 * Synthesises one stage's stack as `npm run synth` does, with cdk-nag's AwsSolutions checks.
 * `bundle: false` skips esbuild (the template is the same but for the asset hashes), for speed.
 */
export function synthesize(config: StageConfig, options: { bundle: boolean }): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), `proxitrace-cdk-${config.stage}-`));
  const app = new App({ outdir, context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  const { stack, edge } = buildStage(app, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  let synthError: Error | undefined;
  try {
    app.synth();
  } catch (error) {
    synthError = error as Error;
  }
  const read = (name: string) => {
    const templateFile = join(outdir, `${name}.template.json`);
    const json = JSON.parse(readFileSync(templateFile, 'utf8')) as Record<string, any>;
    return { templateFile, json, template: Template.fromJSON(json) };
  };
  const main = read(stack.stackName);
  return { config, stack, ...main, edge: { stack: edge, ...read(edge.stackName) }, outdir, nagFindings: nagFindings(outdir), synthError };
}

function nagFindings(outdir: string): string[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as unknown;
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const item = node as { ruleName?: string; violatingConstructs?: { constructPath: string }[] };
      if (item.ruleName) for (const c of item.violatingConstructs ?? []) found.push(`${item.ruleName} at ${c.constructPath}`);
      Object.values(node).forEach(walk);
    }
  };
  walk(report);
  return found;
}

/**
 * The functions of the registry (backend/src/lambda/functions.ts) in a template: every Lambda function
 * but aws-cdk-lib's own reader and writer of the cross-region reference to the edge stack.
 */
export function registryFunctions(json: Record<string, any>): [string, any][] {
  return resourcesOf(json, 'AWS::Lambda::Function').filter(([id]) => !id.startsWith('CustomCrossRegionExport'));
}

/** Resources of a type, as [logicalId, resource] pairs. */
export function resourcesOf(json: Record<string, any>, type: string): [string, any][] {
  return Object.entries(json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);
}
