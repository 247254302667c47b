import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from './config/stages.js';
import { ProxitraceStack } from './proxitrace-stack.js';

/** The CDK app of one stage (`-c stage=dev|prod`), checked by cdk-nag's AwsSolutions rules on synthesis. */
export function buildApp(stage: string, app: App = new App()): { app: App; stack: ProxitraceStack } {
  const config = stageConfig(stage);
  const stack = new ProxitraceStack(app, `Proxitrace-${config.stage}`, {
    config,
    // Synthesis needs no credentials: the account stays unresolved until `cdk deploy`.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const app = new App();
  buildApp(String(app.node.tryGetContext('stage') ?? 'dev'), app);
  app.synth();
}
