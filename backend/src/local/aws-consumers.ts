import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsServices } from '../composition/aws.js';
import type { BackendConfig } from '../config/backend-config.js';
import { makeProcessContactBatches } from '../handlers/process-contact-batches.js';
import { makeTraceExposures } from '../handlers/trace-exposures.js';
import { DynamoDbStreamSource } from './dynamodb-stream-source.js';
import type { QueueConsumer } from './local-stack.js';
import { SqsEventSource } from './sqs-event-source.js';

/** The SQS consumer and the tracer's stream, as Lambda's two event source mappings would run them. */
export async function awsConsumers(services: AwsServices, config: BackendConfig, logger: Logger): Promise<QueueConsumer> {
  const { queueUrl, waitTimeSeconds } = services.aws.sqs;
  const { Attributes } = await services.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'VisibilityTimeout'] }));
  const aws = services.aws;
  const streams = new DynamoDBStreamsClient({
    region: aws.region,
    ...(aws.dynamodb.endpoint ? { endpoint: aws.dynamodb.endpoint } : {}),
    ...(aws.credentials ? { credentials: { ...aws.credentials } } : {}),
  });
  const tracer = new DynamoDbStreamSource({
    streams,
    dynamo: services.dynamo,
    table: services.tables.tracingOutbox,
    handler: makeTraceExposures(services),
    batchSize: config.queue.pollBatchSize,
    idleDelayMs: config.queue.pollIntervalMs,
    retryDelayMs: config.queue.visibilityTimeoutSeconds * 1000,
    logger,
  });
  await tracer.prepare();
  const consumer = new SqsEventSource({
    sqs: services.sqs,
    queueUrl,
    queueArn: Attributes?.QueueArn ?? `arn:aws:sqs:${services.aws.region}:000000000000:contacts`,
    handler: makeProcessContactBatches(services),
    batchSize: config.queue.pollBatchSize,
    waitTimeSeconds,
    concurrency: services.aws.sqs.consumerConcurrency,
    batchingWindowMs: services.aws.sqs.batchingWindowMs,
    visibilityTimeoutSeconds: Number(Attributes?.VisibilityTimeout ?? 0),
    logger,
  });
  return {
    start: () => {
      consumer.start();
      tracer.start();
    },
    stop: async () => {
      await Promise.all([consumer.stop(), tracer.stop()]);
      streams.destroy();
    },
  };
}
