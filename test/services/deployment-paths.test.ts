import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../backend/src/lambda/functions.js';
import { CognitoUserPool } from '../../loadtest/src/auth/cognito-pool.js';
import { provisionLoadTestUsers } from '../../loadtest/src/auth/provision-users.js';
import { SimulatedDevice } from '../../loadtest/src/population/simulated-device.js';
import { ApiClient } from '../support/api-client.js';
import { CloudFormationResponses } from '../support/cloudformation-responses.js';
import { httpEvent, lambdaContext } from '../support/embedded-services.js';
import { startLocalServer, type LocalServer } from '../support/local-server.js';
import { localAwsClients, localServices } from './support/aws-clients.js';
import { awsServerEnvProvisioner, type AwsServerEnv } from './support/aws-server-env.js';

const provisioner = awsServerEnvProvisioner();
const { dynamo } = localAwsClients();

/**
 * What the AWS deployment runs, on the local engines: every Lambda entry file as Lambda imports it
 * (BACKEND=aws from its environment), the readiness answer on real dependencies, the deploy-time
 * search setup as a CloudFormation custom resource, and the load tool's credentials mode.
 */
describe('Lambda entries on BACKEND=aws', () => {
  let backend: AwsServerEnv;
  const saved = { ...process.env };
  beforeAll(async () => {
    backend = await provisioner.provision();
    Object.assign(process.env, backend.env, { LOG_LEVEL: 'SILENT' });
  });
  afterAll(async () => {
    process.env = saved;
    await backend.remove();
  });

  it.each(FUNCTIONS.map((f) => [f.id, f.entry] as const))('%s builds its services at import and exports a handler', async (_id, entry) => {
    const module = (await import(`../../backend/src/lambda/${entry}`)) as { handler: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it('answers GET /ready with DynamoDB, SQS, the search node and Cognito all checked', async () => {
    const { handler } = (await import('../../backend/src/lambda/readiness.js')) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }> };
    const response = await handler(httpEvent('GET /ready'), lambdaContext());
    expect(JSON.parse(response.body)).toEqual({
      status: 'ready',
      checks: Object.fromEntries(['dynamodb', 'sqs', 'search', 'cognito'].map((name) => [name, { ok: true, ms: expect.any(Number) }])),
    });
    expect(response.statusCode).toBe(200);
  });

  it('runs the search setup as a custom resource and answers CloudFormation SUCCESS', async () => {
    const cloudFormation = new CloudFormationResponses();
    const responseUrl = await cloudFormation.start();
    try {
      const { handler } = (await import('../../backend/src/lambda/setup-search.js')) as { handler: (e: unknown) => Promise<void> };
      const event = {
        RequestType: 'Create',
        ResponseURL: responseUrl,
        StackId: 'stack',
        RequestId: 'req-1',
        LogicalResourceId: 'SearchSetup',
        ResourceProperties: { roleMappings: { write: ['arn:aws:iam::1:role/consumer'] } },
      };
      await handler(event);
      expect(cloudFormation.answers).toEqual([
        expect.objectContaining({ method: 'PUT', Status: 'SUCCESS', RequestId: 'req-1', LogicalResourceId: 'SearchSetup', Data: { retentionPolicy: 'unavailable', securityRoles: 'unavailable', analyticsRetention: 'purge only' } }),
      ]);
      const template = await fetch(`${localServices().opensearch!.node}/_index_template/${backend.env.SEARCH_INDEX_PREFIX}contacts`);
      expect(template.status).toBe(200);
      const analyticsTemplate = await fetch(`${localServices().opensearch!.node}/_index_template/${backend.env.SEARCH_INDEX_PREFIX}analytics-cases`);
      expect(analyticsTemplate.status).toBe(200);
    } finally {
      await cloudFormation.stop();
    }
  });
});

describe("the load tool's credentials mode against this backend", () => {
  let backend: AwsServerEnv;
  let server: LocalServer;
  let identity: CognitoIdentityProviderClient;
  beforeAll(async () => {
    backend = await provisioner.provision();
    server = await startLocalServer({ env: backend.env, startTimeoutMs: 60_000 });
    const { region, credentials, cognito } = localServices();
    identity = new CognitoIdentityProviderClient({ endpoint: cognito!.endpoint, region, credentials: { ...credentials } });
  }, 120_000);
  afterAll(async () => {
    identity.destroy();
    await server.stop();
    await backend.remove();
  });

  it('pre-created users become devices, and their access tokens are accepted on device routes', async () => {
    const file = await provisionLoadTestUsers({
      cognito: identity,
      doc: DynamoDBDocumentClient.from(dynamo),
      region: localServices().region,
      userPoolId: backend.env.COGNITO_USER_POOL_ID!,
      clientId: backend.env.COGNITO_CLIENT_ID!,
      tablePrefix: backend.env.DYNAMODB_TABLE_PREFIX!,
      count: 3,
      cognitoEndpoint: localServices().cognito!.endpoint,
    });
    expect(file.users).toHaveLength(3);
    const pool = new CognitoUserPool(file, 'the provisioned users');
    const devices = [0, 1, 2].map((i) => new SimulatedDevice(i, `+1555000000${i}`));
    await pool.signInDevices(devices);
    for (const device of devices) {
      const api = new ApiClient(server.url, device.session.accessToken);
      const tokens = await api.request('POST', '/v1/tokens', { count: 2 });
      expect(tokens.status, JSON.stringify(tokens.body)).toBe(201);
    }
    // Officials need an enrolled authenticator (docs/AUTH.md): the load tool's own credentials test makes one.
  });
});
