import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsContext } from './aws-context.js';
import { dynamoClient } from './dynamo-client.js';
import { searchEngine } from './search-engine.js';
import { sqsClient } from './sqs-client.js';

/** Cheap probes of each dependency for the readiness answer: the tables, the queues, the search tier, Cognito's keys. */
export function dependencyChecks(ctx: AwsContext): Readonly<Record<string, () => Promise<void>>> {
  const { aws, tables } = ctx;
  const dynamo = dynamoClient(ctx);
  const sqs = sqsClient(ctx);
  const engine = searchEngine(ctx);
  return {
    dynamodb: async () => {
      await Promise.all(Object.values(tables).map((TableName: string) => dynamo.send(new DescribeTableCommand({ TableName }))));
    },
    sqs: async () => {
      const urls = [aws.sqs.queueUrl, aws.sqs.deadLetterQueueUrl, aws.sqs.tracingDeadLetterQueueUrl];
      await Promise.all(urls.map((QueueUrl) => sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))));
    },
    search: () => engine.ping(),
    cognito: async () => {
      const response = await fetch(aws.cognito.jwksUri, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
    },
  };
}
