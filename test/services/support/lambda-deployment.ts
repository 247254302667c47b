import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { dynamoTableNames } from '../../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { createLogger } from '../../../backend/src/composition/logger.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { EDGE_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from '../../../backend/src/handlers/http/edge-origin.js';
import type { HttpLambda } from '../../../backend/src/handlers/http/http-handler.js';
import { FUNCTIONS, type FunctionSpec, type SecretName } from '../../../backend/src/lambda/functions.js';
import { DynamoDbStreamSource } from '../../../backend/src/local/dynamodb-stream-source.js';
import { createLocalHttpServer } from '../../../backend/src/local/local-http-server.js';
import { SqsEventSource } from '../../../backend/src/local/sqs-event-source.js';
import { stageConfig } from '../../../infra/aws/config/stages.js';
import { functionEnvironment, type DeploymentRefs } from '../../../infra/aws/function-environment.js';
import { lambdaContext } from '../../support/embedded-services.js';
import { FakeSecretsManager } from '../../support/fake-secrets-manager.js';
import { FakeSns } from '../../support/fake-sns.js';
import { CloudFormationResponses } from '../../support/cloudformation-responses.js';
import type { AwsCallRecorder } from './aws-call-recorder.js';
import { localAwsClients, localServices } from './aws-clients.js';
import type { AwsServerEnv } from './aws-server-env.js';

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LambdaDeployment {
  /** The HTTP API: each route answered by its own function, as API Gateway routes them. */
  url: string;
  /** Invokes a function's handler with an event, as its trigger would. */
  invoke(id: string, event: unknown): Promise<unknown>;
  /** The contact queue's event source, once: returns how many messages the consumer handled. */
  consumeOnce(): Promise<number>;
  /** The outbox stream's event source, until no tracing task waits. */
  traceAll(): Promise<number>;
  secrets: FakeSecretsManager;
  sms: FakeSns;
  close(): Promise<void>;
}

/** The secret ids the functions' environments name (ARNs in AWS). */
export const LOCAL_SECRET_IDS: Record<SecretName, string> = { tokenKeys: 'token-keys', relayKeys: 'relay-keys', phoneHash: 'phone-hash' };

/**
 * Every function of the registry as the stack deploys it, on the local engines: each Lambda entry
 * imported once, in a process environment of its own (`functionEnvironment`, as infra sets it, with
 * the endpoints of the local engines, a Secrets Manager and SNS stand-in, and a search endpoint of
 * its own from the recorder), its cold start and invocations attributed to it. The deploy-time steps
 * run first, as CloudFormation runs them: the token key rotation writes the first key, the relay key
 * step the first key file, the search setup the templates. Then the API routes each request to its
 * route's function as the CloudFront distribution relays it (the edge secret, the viewer's address);
 * the queue and stream triggers are played by the local event sources.
 */
export async function deployLambdasLocally(options: {
  backend: AwsServerEnv;
  recorder: AwsCallRecorder;
  clients: ReturnType<typeof localAwsClients>;
  /** Extra environment for every function (OFFICIAL_PHONE_NUMBERS, TOKEN_GRACE_MINUTES, …). */
  env?: Record<string, string>;
}): Promise<LambdaDeployment> {
  const { backend, recorder } = options;
  const local = localServices();
  const prefix = backend.env.DYNAMODB_TABLE_PREFIX!;
  const secrets = new FakeSecretsManager();
  const sms = new FakeSns();
  const cloudFormation = new CloudFormationResponses();
  const [secretsEndpoint, snsEndpoint, responseUrl] = await Promise.all([secrets.start(), sms.start(), cloudFormation.start()]);
  // As the stack creates them: token keys and relay keys hold a placeholder, the phone-hash key is generated.
  secrets.create(LOCAL_SECRET_IDS.tokenKeys, JSON.stringify({ keys: [], bootstrap: 'x' }));
  secrets.create(LOCAL_SECRET_IDS.relayKeys, JSON.stringify({ bootstrap: 'x' }));
  secrets.create(LOCAL_SECRET_IDS.phoneHash, randomBytes(48).toString('base64').replace(/[^A-Za-z0-9]/g, 'A').slice(0, 64));

  const stage = { ...stageConfig('dev', {}), prefix };
  const edgeOriginSecret = randomBytes(32).toString('hex');
  const handlers = new Map<string, AnyHandler>();
  const load = async (spec: FunctionSpec) => {
    const refs: DeploymentRefs = {
      queueUrls: { contacts: backend.env.SQS_QUEUE_URL!, contactDeadLetters: backend.env.SQS_DLQ_URL!, tracingDeadLetters: backend.env.SQS_TRACING_DLQ_URL! },
      search: { kind: 'opensearch-service', node: await recorder.searchEndpointFor(spec.id, local.opensearch!.node) },
      searchSettings: { shards: 1, replicas: 0, refreshInterval: '1s' },
      userPoolId: backend.env.COGNITO_USER_POOL_ID!,
      userPoolClientId: backend.env.COGNITO_CLIENT_ID!,
      secretIds: LOCAL_SECRET_IDS,
      edgeOriginSecret,
    };
    const env = {
      ...functionEnvironment(spec, stage, refs),
      AWS_REGION: local.region,
      AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
      DYNAMODB_ENDPOINT: backend.env.DYNAMODB_ENDPOINT!,
      SQS_ENDPOINT: backend.env.SQS_ENDPOINT!,
      COGNITO_ENDPOINT: backend.env.COGNITO_ENDPOINT!,
      SNS_ENDPOINT: snsEndpoint,
      SECRETS_MANAGER_ENDPOINT: secretsEndpoint,
      // Local engines over plain HTTP, and sign-in codes echoed so the scenario can answer them.
      INSECURE_DEVELOPMENT: '1',
      DEV_SMS_ECHO: '1',
      LOG_LEVEL: 'SILENT',
      ...options.env,
    };
    const saved = process.env;
    process.env = { ...saved, ...env };
    try {
      const module = (await recorder.as(spec.id, () => import(`../../../backend/src/lambda/${spec.entry}`))) as { handler: AnyHandler };
      handlers.set(spec.id, (event, context) => recorder.as(spec.id, () => module.handler(event, context)));
    } finally {
      process.env = saved;
    }
  };
  const invoke = async (id: string, event: unknown) => {
    const handler = handlers.get(id);
    if (!handler) throw new Error(`function ${id} is not loaded`);
    return handler(event, lambdaContext());
  };
  const customResource = (id: string, properties: Record<string, unknown>) =>
    invoke(id, { RequestType: 'Create', ResponseURL: `${responseUrl}/${id}`, StackId: 'stack', RequestId: `create-${id}`, LogicalResourceId: id, ResourceProperties: properties });

  const byTrigger = (kind: FunctionSpec['trigger']['kind'], step?: string) => FUNCTIONS.filter((f) => f.trigger.kind === kind && (!step || (f.trigger as { step?: string }).step === step));
  // Deploy time, in the stack's order: keys first (every function that reads them depends on them), then the search tier.
  for (const spec of byTrigger('secret-rotation')) {
    await load(spec);
    const token = secrets.beginRotation(LOCAL_SECRET_IDS.tokenKeys);
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) await invoke(spec.id, { Step, SecretId: LOCAL_SECRET_IDS.tokenKeys, ClientRequestToken: token });
  }
  for (const spec of byTrigger('deploy', 'relay-keys')) {
    await load(spec);
    await customResource(spec.id, { secret: LOCAL_SECRET_IDS.relayKeys });
  }
  for (const spec of byTrigger('deploy', 'search-setup')) {
    await load(spec);
    await customResource(spec.id, { roleMappings: {} });
  }
  const failed = cloudFormation.answers.filter((a) => a.Status !== 'SUCCESS');
  if (failed.length > 0) throw new Error(`deploy-time steps failed: ${JSON.stringify(failed)}`);
  for (const spec of FUNCTIONS) if (!handlers.has(spec.id)) await load(spec);

  const routes = new Map<string, HttpLambda>();
  const relayed = (event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 => ({
    ...event,
    headers: { ...event.headers, [EDGE_SECRET_HEADER]: edgeOriginSecret, [VIEWER_ADDRESS_HEADER]: `${event.requestContext.http.sourceIp}:49152` },
  });
  for (const spec of FUNCTIONS) if (spec.trigger.kind === 'http') routes.set(spec.trigger.route, (event) => invoke(spec.id, relayed(event)) as ReturnType<HttpLambda>);
  const logger = createLogger({ logLevel: 'SILENT' }, 'lambda-deployment');
  const server: Server = createLocalHttpServer({ routes, maxBodyBytes: 256 * 1024, logger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const { sqs, dynamo } = options.clients;
  const only = (kind: FunctionSpec['trigger']['kind']) => {
    const [spec, ...more] = FUNCTIONS.filter((f) => f.trigger.kind === kind);
    if (!spec || more.length > 0) throw new Error(`expected one ${kind} function`);
    return spec.id;
  };
  const consumer = only('queue');
  const tracer = only('table-stream');
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: backend.env.SQS_QUEUE_URL!, AttributeNames: ['QueueArn'] }));
  const eventSource = new SqsEventSource({
    sqs,
    queueUrl: backend.env.SQS_QUEUE_URL!,
    queueArn: Attributes!.QueueArn!,
    handler: (event) => invoke(consumer, event) as never,
    batchSize: 10,
    waitTimeSeconds: 0,
    logger,
  });
  const streams = new DynamoDBStreamsClient({ endpoint: local.dynamodb!.endpoint, region: local.region, credentials: { ...local.credentials } });
  const streamSource = new DynamoDbStreamSource({
    streams,
    dynamo,
    table: dynamoTableNames(prefix).tracingOutbox,
    handler: (event) => invoke(tracer, event) as never,
    batchSize: 100,
    idleDelayMs: 10,
    retryDelayMs: 1000,
    logger,
  });
  await streamSource.prepare();

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invoke,
    consumeOnce: () => eventSource.pollOnce(),
    traceAll: () => streamSource.drain(60_000),
    secrets,
    sms,
    close: async () => {
      streams.destroy();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([secrets.stop(), sms.stop(), cloudFormation.stop()]);
    },
  };
}
