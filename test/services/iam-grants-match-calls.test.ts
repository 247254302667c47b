import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionSpec } from '../../backend/src/lambda/functions.js';
import { stageConfig } from '../../infra/aws/config/stages.js';
import { roleOfFunction, statementsOfRole } from '../infra/support/role-statements.js';
import { synthesize, type Synthesized } from '../infra/support/synth.js';
import { AwsCallRecorder, UNATTRIBUTED, type RecordedCall } from './support/aws-call-recorder.js';
import { localAwsClients, localCognitoClient } from './support/aws-clients.js';
import { awsServerEnvProvisioner, type AwsServerEnv } from './support/aws-server-env.js';
import { recordedResourceName, templateResourceNames } from './support/deployment-resource-names.js';
import { runEveryFunction, SCENARIO_OFFICIAL } from './support/every-function-scenario.js';
import { allows, COGNITO_TOKEN_AUTHORISED, grantedCapabilities, rolePolicy, unusedCapabilities, type RolePolicy } from './support/iam-grants.js';
import { deployLambdasLocally, LOCAL_SECRET_IDS, type LambdaDeployment } from './support/lambda-deployment.js';

const provisioner = awsServerEnvProvisioner();
const clients = { ...localAwsClients(), cognito: localCognitoClient() };

/**
 * Grants the deployment gives a function's role for someone other than its handler: the Lambda
 * runtime writes the logs and, with active tracing, the X-Ray segments; the event source mapping (not the handler) receives and deletes queue
 * messages and reads the stream, and sends failed stream batches to their queue; the rotation
 * schedule of CDK grants GetRandomPassword, which this rotation does not use (it draws its keys
 * from node:crypto).
 */
function grantsForOthers(spec: FunctionSpec): string[] {
  const runtime = [`logs:CreateLogStream log-group/${spec.id}`, `logs:PutLogEvents log-group/${spec.id}`, 'xray:PutTraceSegments *', 'xray:PutTelemetryRecords *'];
  switch (spec.trigger.kind) {
    case 'queue':
      return [...runtime, `sqs:consume queue/${spec.trigger.queue}`];
    case 'table-stream':
      return [...runtime, `dynamodb:read table/${spec.trigger.table}.StreamArn`, 'dynamodb:read *', 'sqs:send queue/stream-failures'];
    case 'secret-rotation':
      return [...runtime, 'secretsmanager:GetRandomPassword *'];
    default:
      return runtime;
  }
}

/**
 * Grants the handler needs only on paths this scenario does not take, each with the path:
 * a new grant that no call uses, and no reason is written here, fails the test.
 */
const OFFICIAL_UNLISTED = 'an official whose number left OFFICIAL_PHONE_NUMBERS answers a challenge started while listed: out of the officials group (test/services/cognito-identity.test.ts)';
const ERROR_PATH_GRANTS: Record<string, Record<string, string>> = {
  'enrol-official-totp': { 'cognito-idp:AdminRemoveUserFromGroup user-pool/devices': OFFICIAL_UNLISTED },
  'verify-official': { 'cognito-idp:AdminRemoveUserFromGroup user-pool/devices': OFFICIAL_UNLISTED },
  'trace-exposures': {
    'dynamodb:write table/tokenFlags': 'a token heard where its device cannot have been (relayed, replayed) flags its window (test/backend/application/relayed-token.test.ts)',
    'sqs:send queue/tracingDeadLetters': 'a task that failed QUEUE_MAX_RECEIVES times is dead-lettered (the tracing stores contract)',
  },
  'erase-me': {
    'dynamodb:write table/tokenFlags': "deletes the device's token flags: the scenario raises none",
    'dynamodb:write table/tracingOutbox': "deletes the device's waiting tracing tasks: none wait once the tracer has run",
  },
  'erase-dedicated-device': {
    'dynamodb:write table/tokenFlags': "deletes the device's token flags: the scenario raises none",
    'sqs:send queue/contactDeadLetters': "puts back another reporter's dead-lettered batch without the device's observations: none names it",
    'dynamodb:write table/ownerAlerts': "deletes the owner alerts sent about the device: the erased device was warned of nothing",
  },
  'relay-batches': {
    'dynamodb:read table/batchReceipts': 'a batch queued once already (a relay retrying after a lost answer) finds its receipt and reads it (the contact queue contract)',
  },
  'purge-expired-data': { 'dynamodb:write table/tokenFlags': 'deletes token flags past their retention: the scenario raises none' },
  'setup-search': {
    'es:ESHttpPut search-domain/*':
      'PUTs what is missing or changed: the templates and the applied-batches index (the provisioner installed them already), ISM policies, security roles and their mappings (the local node has neither plugin; test/backend/adapters/search-setup.test.ts checks those requests)',
  },
};

describe('each function’s IAM grants cover exactly the AWS calls its handler makes', () => {
  let backend: AwsServerEnv;
  let deployment: LambdaDeployment;
  let synthesized: Synthesized;
  let names: Map<string, string>;
  const recorder = new AwsCallRecorder();
  let calls: RecordedCall[];

  beforeAll(async () => {
    synthesized = synthesize(stageConfig('dev', {}), { bundle: false });
    names = templateResourceNames(synthesized.stack);
    backend = await provisioner.provision();
    recorder.start();
    deployment = await deployLambdasLocally({ backend, recorder, clients, env: { OFFICIAL_PHONE_NUMBERS: SCENARIO_OFFICIAL, TOKEN_GRACE_MINUTES: '60' } });
    await runEveryFunction(deployment, {
      sqs: clients.sqs,
      queueUrl: backend.queueUrl,
      deadLetterQueueUrl: backend.env.SQS_DLQ_URL!,
      cognito: clients.cognito,
      userPoolId: backend.env.COGNITO_USER_POOL_ID!,
      clientId: backend.env.COGNITO_CLIENT_ID!,
    });
    const local = { prefix: backend.env.DYNAMODB_TABLE_PREFIX!, secretIds: LOCAL_SECRET_IDS, userPoolId: backend.env.COGNITO_USER_POOL_ID! };
    calls = recorder.calls().map((call) => ({ ...call, resource: recordedResourceName(call.resource, local) }));
  }, 600_000);
  afterAll(async () => {
    await deployment?.close();
    await recorder.stop();
    await backend?.remove();
  });

  const policyOf = (spec: FunctionSpec): RolePolicy => rolePolicy(statementsOfRole(synthesized, roleOfFunction(synthesized, spec)), names);
  const callsOf = (spec: FunctionSpec) => calls.filter((c) => c.fn === spec.id && !COGNITO_TOKEN_AUTHORISED.has(c.action));

  it('attributes every call to the function that made it', () => {
    expect(calls.filter((c) => c.fn === UNATTRIBUTED)).toEqual([]);
    expect(calls.filter((c) => c.resource.includes('unknown('))).toEqual([]);
    // The scenario reached the stores through the functions, not around them.
    expect(new Set(calls.map((c) => c.fn)).size).toBeGreaterThan(20);
  });

  it.each(FUNCTIONS.map((f) => [f.id, f] as const))('%s: every call it makes is granted', (_id, spec) => {
    const policy = policyOf(spec);
    const refused = callsOf(spec).filter((c) => !allows(policy, c.action, c.resource));
    expect([...new Set(refused.map((c) => `${c.action} ${c.resource} (${c.operation})`))]).toEqual([]);
  });

  it.each(FUNCTIONS.map((f) => [f.id, f] as const))('%s: every grant is used, or its path is named', (_id, spec) => {
    const unused = unusedCapabilities(grantedCapabilities(policyOf(spec)), callsOf(spec)).filter((g) => !grantsForOthers(spec).includes(g));
    expect(unused.sort()).toEqual(Object.keys(ERROR_PATH_GRANTS[spec.id] ?? {}).sort());
  });
});
