import type { App } from 'aws-cdk-lib';
import type { StageConfig } from './config/stage-config.js';
import { ProxitraceEdgeStack } from './edge-stack.js';
import { ProxitraceStack } from './proxitrace-stack.js';
import { edgeStackName, stageStackName } from './stack-names.js';

export interface StageStacks {
  /** us-east-1: the WAF web ACL CloudFront needs from there. */
  edge: ProxitraceEdgeStack;
  /** The stage's region: everything else, the CloudFront distribution included. */
  stack: ProxitraceStack;
}

/** Both stacks of one stage; `cdk deploy --all` deploys the edge stack first (the stage's stack reads its ACL). */
export function buildStage(app: App, config: StageConfig, account: string | undefined = undefined): StageStacks {
  const edge = new ProxitraceEdgeStack(app, edgeStackName(config.stage), { config, env: { account } });
  const stack = new ProxitraceStack(app, stageStackName(config.stage), { config, env: { account, region: config.region }, webAclArn: edge.firewall.webAcl.attrArn });
  return { edge, stack };
}
