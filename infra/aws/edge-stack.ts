import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { retainCdkProviderLogs } from './cdk-provider-logs.js';
import type { StageConfig } from './config/stage-config.js';
import { EdgeFirewall } from './constructs/edge-firewall.js';
import { suppressReviewedFindings } from './nag-suppressions.js';
import { EDGE_REGION } from './stack-names.js';

/**
 * What CloudFront needs in us-east-1: the WAF web ACL of the API's distribution and its log. The
 * stage's stack (in its own region) attaches the ACL to the distribution through a cross-region
 * reference (`crossRegionReferences`: aws-cdk-lib writes the ARN to an SSM parameter in the stage's
 * region and reads it back there). The ARN changes only if the ACL is replaced (renamed); its rules
 * change in place, so the reference never blocks a change of the limit or of the rules.
 */
export class ProxitraceEdgeStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(scope: Construct, id: string, props: StackProps & { config: StageConfig }) {
    const { config } = props;
    super(scope, id, {
      ...props,
      env: { account: props.env?.account, region: EDGE_REGION },
      crossRegionReferences: true,
      terminationProtection: config.keepData,
      description: `Proxitrace contact-tracing backend, stage ${config.stage}: the API's WAF web ACL (us-east-1, for CloudFront)`,
    });
    this.firewall = new EdgeFirewall(this, 'Firewall', { config });
    retainCdkProviderLogs(this, config);
    suppressReviewedFindings(this, config);
  }
}
