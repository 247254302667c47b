import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, observed } from '../aws-clients.js';
import type { AwsContext } from './aws-context.js';

/** The context's SQS client (built once). */
export function sqsClient(ctx: AwsContext): SQSClient {
  return ctx.once('sqs', () => {
    const client = observed(new SQSClient(awsClientConfig(ctx.aws, ctx.aws.sqs.endpoint)));
    ctx.onClose(() => client.destroy());
    return client;
  });
}
