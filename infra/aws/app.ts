import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from './config/stages.js';
import { buildStage, type StageStacks } from './stage.js';

/** The CDK app of one stage (`-c stage=dev|prod`), checked by cdk-nag's AwsSolutions rules on synthesis. */
export function buildApp(stage: string, app: App = new App()): StageStacks & { app: App } {
  // Synthesis needs no credentials: the account stays unresolved until `cdk deploy`.
  const stacks = buildStage(app, stageConfig(stage), process.env.CDK_DEFAULT_ACCOUNT);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, ...stacks };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const app = new App();
  buildApp(String(app.node.tryGetContext('stage') ?? 'dev'), app);
  app.synth();
}
