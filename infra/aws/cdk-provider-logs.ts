import { CfnResource, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { StageConfig } from './config/stage-config.js';

/**
 * aws-cdk-lib's own deploy-time functions (the reader and the writer of the cross-region reference)
 * log to a default group that is kept forever, and CDK adds them only while the app synthesises,
 * after every construct and aspect has run. This gives them a group of the stack's with the stage's
 * retention: the hook is a validation, the first step after CDK has added them.
 */
export function retainCdkProviderLogs(stack: Stack, config: StageConfig): logs.LogGroup {
  const group = new logs.LogGroup(stack, 'CdkProviderLogs', {
    logGroupName: `/aws/lambda/${config.prefix}cdk-providers-${stack.region}`,
    retention: config.logRetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  stack.node.addValidation({
    validate: () => {
      for (const fn of cdkProviderFunctions(stack)) {
        fn.addPropertyOverride('LoggingConfig', { LogGroup: group.logGroupName });
        fn.addResourceDependency(group.node.defaultChild as CfnResource);
      }
      return [];
    },
  });
  return group;
}

/** Lambda functions in the stack that no construct of ours made: raw resources of CDK's custom resource providers. */
export function cdkProviderFunctions(stack: Stack): CfnResource[] {
  return stack.node.findAll().filter((c): c is CfnResource => c instanceof CfnResource && c.cfnResourceType === 'AWS::Lambda::Function' && !(c instanceof lambda.CfnFunction));
}
