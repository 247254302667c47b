import { randomBytes, randomUUID } from 'node:crypto';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { vi } from 'vitest';
import { ROUTE_KEYS, routeAccess } from '../../../backend/src/api/route-access.js';
import { deviceRequestMessage } from '../../../backend/src/application/relay/device-signed-request.js';
import { renewalMessage } from '../../../backend/src/application/relay/register-dedicated-device.js';
import { ZERO_HASH } from '../../../backend/src/domain/relay/relay-batch.js';
import { ed25519PrivateKey, signEd25519 } from '../../../backend/src/domain/relay/relay-signatures.js';
import { BatchSealer } from '../../../device-bridge/src/dedicated/batch-sealer.js';
import { ApiClient, type ApiResponse } from '../../support/api-client.js';
import { deviceKeyPair } from '../../support/relay-fixtures.js';
import type { LambdaDeployment } from './lambda-deployment.js';

export const SCENARIO_OFFICIAL = '+447700900100';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const B_PHONE = '+447700900202';

/** Where the scenario reaches past the API: the queues (as SQS itself would act) and the user pool (as an administrator). */
export interface ScenarioSurroundings {
  sqs: SQSClient;
  queueUrl: string;
  deadLetterQueueUrl: string;
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
  clientId: string;
}

/**
 * One pass through every function of the deployment, each reached the way its trigger reaches it:
 * sign-ins (devices and an official, with a refresh), tokens, two-sided sightings through the
 * queue and a message the consumer must dead-letter, a verified infection traced to a warning that
 * is read and acknowledged, the officials' views, a dedicated device registered, renewed and
 * relayed, the public routes, the scheduled analytics, erasures (one of them scrubbing another
 * reporter's dead-lettered batch), contacts of an erased device dropped, users created in Cognito
 * directly calling each device route first, and the purge once everything is past its retention.
 * Each step checks its answer, so a function that fails early cannot pass for one that makes few calls.
 */
export async function runEveryFunction(deployment: LambdaDeployment, around: ScenarioSurroundings): Promise<void> {
  const { sqs, queueUrl } = around;
  const api = new ApiClient(deployment.url);
  const expectStatus = (step: string, response: ApiResponse, status: number) => {
    if (response.status !== status) throw new Error(`${step}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const drainQueue = async () => {
    while ((await deployment.consumeOnce()) > 0);
  };

  const official = (await api.signInOfficial(SCENARIO_OFFICIAL)).client;
  const a = await api.signIn('+447700900201');
  const b = await api.signIn(B_PHONE);
  const refreshed = expectStatus('refresh', await api.request('POST', '/v1/auth/refresh', { refreshToken: b.refreshToken }), 200);
  const bClient = api.withToken(refreshed.accessToken as string);

  const tokenOf = async (client: ApiClient) => (expectStatus('tokens', await client.request('POST', '/v1/tokens', { count: 2 }), 201).tokens[0].token as string);
  const [aToken, bToken] = [await tokenOf(a.client), await tokenOf(bClient)];
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MIN).toISOString();
  const sighting = (token: string) => ({ token, firstSeen: at(40), lastSeen: at(2), rssi: -55 });
  const aBatch = { batchId: randomUUID(), observations: [sighting(bToken)] };
  expectStatus('A uploads', await a.client.request('POST', '/v1/contacts', aBatch), 202);
  expectStatus('A uploads the same batch again (a retry)', await a.client.request('POST', '/v1/contacts', aBatch), 202);
  expectStatus('B uploads', await bClient.request('POST', '/v1/contacts', { batchId: randomUUID(), observations: [sighting(aToken)] }), 202);
  await drainQueue();
  // A batch of A's that kept failing, moved to the dead-letter queue verbatim as SQS's redrive does: B's erasure scrubs it.
  expectStatus('A uploads again', await a.client.request('POST', '/v1/contacts', { batchId: randomUUID(), observations: [sighting(bToken)] }), 202);
  const { Messages: [stuck] = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'] }));
  if (!stuck) throw new Error('the upload is not on the queue');
  await sqs.send(new SendMessageCommand({ QueueUrl: around.deadLetterQueueUrl, MessageBody: stuck.Body!, MessageAttributes: stuck.MessageAttributes }));
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: stuck.ReceiptHandle! }));
  // A message no upload could have produced: the consumer dead-letters it with its reason.
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"not":"a batch"}' }));
  await drainQueue();

  const code = expectStatus('verification code', await official.request('POST', '/v1/admin/verification-codes', {}), 201).code as string;
  expectStatus('infection', await a.client.request('POST', '/v1/infections', { verificationCode: code }), 202);
  expectStatus('infection again (a retry)', await a.client.request('POST', '/v1/infections', { verificationCode: code }), 202);
  await deployment.traceAll();
  const notifications = expectStatus('notifications', await bClient.request('GET', '/v1/notifications'), 200).notifications as { id: string }[];
  if (notifications.length !== 1) throw new Error(`B should have one warning, has ${JSON.stringify(notifications)}`);
  expectStatus('acknowledge', await bClient.request('POST', '/v1/notifications/acknowledge', { id: notifications[0]!.id }), 200);

  // A dedicated device, registered by its owner through a phone (A), renewed, and relayed by A.
  const keys = deviceKeyPair();
  const started = expectStatus('owner verification', await a.client.request('POST', '/v1/dedicated-devices/owner-verification', { phoneNumber: '+447700900301' }), 202);
  const registered = expectStatus(
    'dedicated device',
    await a.client.request('POST', '/v1/dedicated-devices', { publicKey: keys.publicKey.toString('base64url'), owner: { verificationId: started.verificationId, code: started.devCode } }),
    201,
  );
  const requestedAt = new Date();
  const signature = signEd25519(ed25519PrivateKey(keys.signingKey), renewalMessage(registered.deviceId, requestedAt)).toString('base64url');
  expectStatus('renewal', await a.client.request('POST', '/v1/dedicated-devices/bundle', { deviceId: registered.deviceId, requestedAt: requestedAt.toISOString(), signature }), 201);
  const backendKeys = {
    batchKeyId: registered.backend.batchKeyId as number,
    batchPublicKey: Buffer.from(registered.backend.batchPublicKey, 'base64url'),
    ackPublicKey: Buffer.from(registered.backend.ackPublicKey, 'base64url'),
  };
  const sealer = new BatchSealer({ deviceId: registered.deviceId, ...keys, tokens: [], backend: backendKeys, provisionedAt: Date.now() });
  const heard = [{ token: Buffer.from(bToken, 'base64url'), firstSeen: new Date(Date.now() - 20 * MIN), lastSeen: new Date(Date.now() - 5 * MIN), rssi: -60 }];
  const envelope = await sealer.sealForHandover(sealer.sign({ seq: 1, prevHash: ZERO_HASH, createdAt: new Date(Date.now() - 4 * MIN), dropped: 0, observations: heard }));
  const relayed = expectStatus('relay', await a.client.request('POST', '/v1/relay/batches', { batches: [envelope.toString('base64url')] }), 200);
  if (relayed.results[0].status !== 202) throw new Error(`relayed batch refused: ${JSON.stringify(relayed)}`);
  // The same envelope through a second relay is stored once; bytes that are no envelope are refused and counted.
  // (Every batch refused: 409, with each one's reason.)
  const again = expectStatus('relay again', await bClient.request('POST', '/v1/relay/batches', { batches: [envelope.toString('base64url'), randomBytes(200).toString('base64url')] }), 409);
  const codes = (again.error.details.results as { code: string }[]).map((r) => r.code);
  if (codes.join() !== 'batch_replayed,batch_malformed') throw new Error(`second relay: ${JSON.stringify(again)}`);
  await drainQueue();
  await deployment.traceAll();

  expectStatus('token flags', await official.request('GET', '/v1/admin/token-flags'), 200);
  expectStatus('stats', await official.request('GET', '/v1/admin/stats'), 200);
  expectStatus('relay operations', await official.request('GET', '/v1/admin/relay-operations'), 200);
  // A second dedicated device, relayed once, is erased by its owner with its key; a second erasure finds nothing left.
  // (The first stays, for the purge.)
  const erasedKeys = deviceKeyPair();
  const erasedOwner = expectStatus('owner verification', await a.client.request('POST', '/v1/dedicated-devices/owner-verification', { phoneNumber: '+447700900302' }), 202);
  const toErase = expectStatus(
    'second dedicated device',
    await a.client.request('POST', '/v1/dedicated-devices', { publicKey: erasedKeys.publicKey.toString('base64url'), owner: { verificationId: erasedOwner.verificationId, code: erasedOwner.devCode } }),
    201,
  );
  const erasedSealer = new BatchSealer({ deviceId: toErase.deviceId, ...erasedKeys, tokens: [], backend: backendKeys, provisionedAt: Date.now() });
  const erasedEnvelope = await erasedSealer.sealForHandover(erasedSealer.sign({ seq: 1, prevHash: ZERO_HASH, createdAt: new Date(Date.now() - 4 * MIN), dropped: 0, observations: heard }));
  expectStatus('relay the second device', await a.client.request('POST', '/v1/relay/batches', { batches: [erasedEnvelope.toString('base64url')] }), 200);
  await drainQueue();
  const erasure = () => {
    const at = new Date();
    return { deviceId: toErase.deviceId, requestedAt: at.toISOString(), signature: signEd25519(ed25519PrivateKey(erasedKeys.signingKey), deviceRequestMessage('erase', toErase.deviceId, at)).toString('base64url') };
  };
  expectStatus('erase the second dedicated device', await a.client.request('POST', '/v1/dedicated-devices/erasure', erasure()), 200);
  expectStatus('erase it again', await a.client.request('POST', '/v1/dedicated-devices/erasure', erasure()), 422);
  expectStatus('health', await api.request('GET', '/health'), 200);
  expectStatus('ready', await api.request('GET', '/ready'), 200);
  expectStatus('openapi', await api.request('GET', '/openapi.json'), 200);
  expectStatus('jwks', await api.request('GET', '/.well-known/jwks.json'), 404);
  expectStatus('fallback', await api.request('GET', '/v1/nowhere'), 404);

  const scheduled = () => ({ version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.scheduler', time: new Date().toISOString(), detail: {} });
  await deployment.invoke('run-analytics', scheduled());
  // A sign-in B started on another phone and never finished: B's erasure deletes its challenge.
  expectStatus('B starts a sign-in', await api.request('POST', '/v1/auth/sms', { phoneNumber: B_PHONE }), 202);
  expectStatus('erase B', await bClient.request('DELETE', '/v1/me'), 200);
  // B's token still in the air: the consumer drops it and counts the drop.
  expectStatus('A uploads B after erasure', await a.client.request('POST', '/v1/contacts', { batchId: randomUUID(), observations: [sighting(bToken)] }), 202);
  await drainQueue();
  expectStatus('erase A (a case, its code, a refresh family)', await a.client.request('DELETE', '/v1/me'), 200);
  // What the purge finds later: C's case (C is not erased), and a sign-in nobody finished.
  const c = await api.signIn('+447700900203');
  const secondCode = expectStatus('second verification code', await official.request('POST', '/v1/admin/verification-codes', {}), 201).code as string;
  expectStatus('C reports', await c.client.request('POST', '/v1/infections', { verificationCode: secondCode }), 202);
  await deployment.traceAll();
  expectStatus('a sign-in left unanswered', await api.request('POST', '/v1/auth/sms', { phoneNumber: '+447700900204' }), 202);

  await firstCallsOfDirectUsers(api, around);
  // The purge, once everything written above is past its retention (the functions read the time from Date).
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Date.now() + 400 * DAY);
    await deployment.invoke('purge-expired-data', scheduled());
  } finally {
    vi.useRealTimers();
  }
}

/**
 * A user created in the pool by an administrator, signed in with Cognito directly, has no device
 * yet: each device route creates it on that user's first call (handlers/http/authenticate.ts). One
 * such user per device route, whose first call goes there (the body may be refused afterwards).
 */
async function firstCallsOfDirectUsers(api: ApiClient, around: ScenarioSurroundings): Promise<void> {
  let n = 0;
  for (const route of ROUTE_KEYS.filter((r) => routeAccess(r) === 'device')) {
    const phone = `+4477009005${String(n++).padStart(2, '0')}`;
    const password = `${randomBytes(18).toString('base64url')}aA1!`;
    await around.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: around.userPoolId, Username: phone, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' }] }),
    );
    await around.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: around.userPoolId, Username: phone, Password: password, Permanent: true }));
    const { AuthenticationResult } = await around.cognito.send(
      new InitiateAuthCommand({ ClientId: around.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: phone, PASSWORD: password } }),
    );
    const [method, path] = route.split(' ') as [string, string];
    const response = await api.withToken(AuthenticationResult!.AccessToken!).request(method, path, method === 'GET' ? undefined : method === 'DELETE' ? undefined : {});
    if (response.status === 401 || response.status >= 500) throw new Error(`${route}, first call of a direct user: ${response.status} ${JSON.stringify(response.body)}`);
  }
}
