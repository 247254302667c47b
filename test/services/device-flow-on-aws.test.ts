import { describeDeviceFlow } from '../e2e/device-flow.scenario.js';
import { startLocalServer } from '../support/local-server.js';
import { awsServerEnvProvisioner } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();

/**
 * The same device flow as test/e2e/device-flow.test.ts, against `npm start`'s program with
 * BACKEND=aws: DynamoDB Local, ElasticMQ (consumed by continuous SQS polling), OpenSearch and
 * cognito-local, each on resources of its own. Cognito publishes the token keys itself.
 */
describeDeviceFlow('device flow on the AWS adapters (local engines)', async (env) => {
  const backend = await provisioner.provision();
  const server = await startLocalServer({ env: { ...backend.env, ...env }, startTimeoutMs: 60_000 });
  return {
    url: server.url,
    jwksUrl: backend.jwksUri,
    stop: async () => {
      await server.stop();
      await backend.remove();
    },
  };
});
