import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { contactQueueNames } from '../../../backend/src/adapters/sqs/sqs-queues.js';
import type { StageConfig } from '../config/stage-config.js';

/**
 * The contact queue (standard, SSE, TLS only) and its dead-letter queue. The consumer dead-letters
 * a batch itself on its last attempt, with the reason; the redrive one receive later is the backstop
 * for a consumer that crashes every time. Visibility is six times the consumer's timeout, as Lambda's
 * SQS event source needs. The tracer's dead-letter queue takes the tracing tasks it gave up on,
 * with their reason (the outbox is a table, not a queue: it has no redrive of its own).
 */
export class ContactQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly tracingDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: { config: StageConfig; consumerTimeoutSeconds: number }) {
    super(scope, id);
    const names = contactQueueNames(props.config.prefix);
    const common = {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: props.config.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', { ...common, queueName: names.deadLetterQueue, retentionPeriod: Duration.days(14) });
    this.tracingDeadLetterQueue = new sqs.Queue(this, 'TracingDeadLetters', { ...common, queueName: names.tracingDeadLetterQueue, retentionPeriod: Duration.days(14) });
    this.queue = new sqs.Queue(this, 'Contacts', {
      ...common,
      queueName: names.queue,
      visibilityTimeout: Duration.seconds(6 * props.consumerTimeoutSeconds),
      retentionPeriod: Duration.days(props.config.queue.retentionDays),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.config.queue.maxReceives + 1 },
    });
  }
}
