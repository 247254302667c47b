import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { StageConfig } from '../config/stage-config.js';
import { RATE_LIMITED_BODY_KEY, rateLimitedBody, webAclName, webAclRules } from './web-acl-rules.js';

/**
 * The WAF web ACL of the API's CloudFront distribution (scope CLOUDFRONT, so it must be created in
 * us-east-1): the rules of web-acl-rules.ts, CloudWatch metrics and sampled requests for each rule
 * and for the whole ACL, and a log of every request a rule blocked or counted. Allowed requests are
 * not logged (billions a month at the design point; the sampled requests show them), and the
 * Authorization header is redacted from what is.
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { config } = props;
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: webAclName(config),
      description: `Proxitrace ${config.stage} API: IP reputation, sign-in rate per address, known bad inputs, core rule set`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rules: webAclRules(config),
      customResponseBodies: { [RATE_LIMITED_BODY_KEY]: { contentType: 'APPLICATION_JSON', content: rateLimitedBody(config) } },
      visibilityConfig: { metricName: webAclName(config), cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true },
    });
    // WAF delivers only to log groups whose name starts with aws-waf-logs-.
    const logGroupName = `aws-waf-logs-${config.prefix}api`;
    this.logGroup = new logs.LogGroup(this, 'Logs', { logGroupName, retention: config.logRetentionDays, removalPolicy: RemovalPolicy.DESTROY });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF takes the log group's ARN without the ":*" that logGroupArn ends with.
      logDestinationConfigs: [Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }] }],
      },
    });
    logging.node.addDependency(this.logGroup);
  }
}
