import { describeTracingOrder } from '../backend/application/tracing-order.scenario.js';
import { awsBackend } from './support/adapter-backend.js';
import { localAwsClients } from './support/aws-clients.js';

const clients = localAwsClients();

/**
 * The same graph on the AWS adapters, the tracer fed by DynamoDB Streams: a dozen of the 120
 * orders (every tenth), since each step waits for the stream; the embedded suite runs them all.
 */
describeTracingOrder(
  'DynamoDB, SQS and OpenSearch',
  async (clock, env, channel) => {
    const backend = await awsBackend({ clients, clock, env, visibilityTimeoutSeconds: 1 });
    backend.services.channel.deliver = (event) => channel.deliver(event);
    return backend;
  },
  { sample: 12 },
);
