import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** The contact queue and its dead-letter queue, named from one prefix (as in the local ElasticMQ config). */
export interface ContactQueueNames {
  queue: string;
  deadLetterQueue: string;
  /** Where the tracer parks tasks it gave up on. */
  tracingDeadLetterQueue: string;
}

export interface ContactQueueUrls {
  queueUrl: string;
  deadLetterQueueUrl: string;
  tracingDeadLetterQueueUrl: string;
}

export interface ContactQueueSettings {
  visibilityTimeoutSeconds: number;
  /** The queue's own redrive: after this many receives SQS moves a message to the DLQ. */
  maxReceiveCount: number;
}

export function contactQueueNames(prefix: string): ContactQueueNames {
  return { queue: `${prefix}contacts`, deadLetterQueue: `${prefix}contacts-dlq`, tracingDeadLetterQueue: `${prefix}tracing-dlq` };
}

/** Creates the DLQs, then the queue with a redrive policy pointing at its DLQ; returns the URLs. */
export async function createContactQueues(sqs: SQSClient, names: ContactQueueNames, settings: ContactQueueSettings): Promise<ContactQueueUrls> {
  const { QueueUrl: deadLetterQueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: names.deadLetterQueue }));
  if (!deadLetterQueueUrl) throw new Error(`no URL for queue ${names.deadLetterQueue}`);
  const { QueueUrl: tracingDeadLetterQueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: names.tracingDeadLetterQueue }));
  if (!tracingDeadLetterQueueUrl) throw new Error(`no URL for queue ${names.tracingDeadLetterQueue}`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }));
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: names.queue,
      Attributes: {
        VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: settings.maxReceiveCount }),
      },
    }),
  );
  if (!queueUrl) throw new Error(`no URL for queue ${names.queue}`);
  return { queueUrl, deadLetterQueueUrl, tracingDeadLetterQueueUrl };
}

export async function deleteContactQueues(sqs: SQSClient, urls: ContactQueueUrls): Promise<void> {
  await Promise.all([urls.queueUrl, urls.deadLetterQueueUrl, urls.tracingDeadLetterQueueUrl].map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl }))));
}
