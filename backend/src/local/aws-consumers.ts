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

type TracerHandler = ReturnType<typeof makeTraceExposures>;

export interface AwsEventSources {
  /** The contact queue's consumer, as Lambda's SQS event source mapping runs it. */
  consumer: SqsEventSource;
  /** The tracer, fed from the tracing outbox's stream as Lambda's DynamoDB stream mapping runs it. */
  tracer: DynamoDbStreamSource;
  close(): void;
}

/** The two event sources on the handlers the Lambda functions run; `wrapTracer` lets a benchmark observe the tracer's invocations. */
export async function awsEventSources(services: AwsServices, config: BackendConfig, logger: Logger, wrapTracer: (handler: TracerHandler) => TracerHandler = (h) => h): Promise<AwsEventSources> {
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
    handler: wrapTracer(makeTraceExposures(services)),
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
  return { consumer, tracer, close: () => streams.destroy() };
}

/** The SQS consumer and the tracer's stream, as Lambda's two event source mappings would run them. */
export async function awsConsumers(services: AwsServices, config: BackendConfig, logger: Logger): Promise<QueueConsumer> {
  const { consumer, tracer, close } = await awsEventSources(services, config, logger);
  return {
    start: () => {
      consumer.start();
      tracer.start();
    },
    stop: async () => {
      await Promise.all([consumer.stop(), tracer.stop()]);
      close();
    },
  };
}
