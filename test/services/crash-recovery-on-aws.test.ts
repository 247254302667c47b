import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describeCrashRecovery } from '../e2e/crash-recovery.scenario.js';
import { startLocalServer } from '../support/local-server.js';
import { localAwsClients } from './support/aws-clients.js';
import { awsServerEnvProvisioner } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();
const { sqs } = localAwsClients();

/**
 * Crash recovery on the AWS adapters: the server (HTTP and SQS consumer) is killed while the
 * consumer works; the queue, receipts and contacts live on in ElasticMQ, DynamoDB Local and
 * OpenSearch, the messages it had received come back after the visibility timeout, and the
 * restarted server finishes them without losing or duplicating a contact.
 */
describeCrashRecovery('crash recovery on the AWS adapters (local engines)', async () => {
  const backend = await provisioner.provision({ visibilityTimeoutSeconds: 2 });
  const env = { ...backend.env, SQS_BATCHING_WINDOW_MS: '0' };
  return {
    // Start-up speed is not under test (a loaded machine took over 60 s): wait for the server's own "listening" line.
    start: (settings) => startLocalServer({ env: { ...env, ...settings }, startTimeoutMs: Number.POSITIVE_INFINITY }),
    unacknowledged: async () => {
      const { Attributes: a = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: backend.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      return { queued: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
    },
    operatorEnv: () => env,
    remove: () => backend.remove(),
  };
});
