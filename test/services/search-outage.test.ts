import { afterEach, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { makeRequestSmsCode, makeVerifySmsCode } from '../../backend/src/handlers/auth-handlers.js';
import { makeRegisterTokens } from '../../backend/src/handlers/register-tokens.js';
import { makeSubmitContacts } from '../../backend/src/handlers/submit-contacts.js';
import type { BackendServices } from '../../backend/src/composition/backend-services.js';
import type { HttpLambda } from '../../backend/src/handlers/http/http-handler.js';
import { MIN, NOW } from '../support/builders.js';
import { httpEvent, lambdaContext, testClock } from '../support/embedded-services.js';
import { awsBackend, type AwsBackend } from './support/adapter-backend.js';
import { localAwsClients, localServices } from './support/aws-clients.js';
import { TcpProxy } from './support/tcp-proxy.js';

const clients = localAwsClients();
const MAX_ATTEMPTS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The search engine becomes unreachable (a proxy in front of the real node refuses connections):
 * accepted batches stay on the real queue and are retried, reach the dead-letter queue with their
 * reason only after the configured attempts, and once the engine is back the backlog drains with
 * every contact stored exactly once.
 */
describe('search engine outage on the AWS adapters', () => {
  let backend: AwsBackend;
  let proxy: TcpProxy;
  afterEach(async () => {
    await backend?.close();
    await proxy?.down();
  });

  const setUp = async () => {
    const clock = testClock(NOW);
    proxy = await TcpProxy.start(localServices().opensearch!.node);
    backend = await awsBackend({
      clients,
      clock,
      searchNode: proxy.url,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: MAX_ATTEMPTS + 1, // SQS's own redrive is the backstop after the consumer's
      env: { QUEUE_MAX_RECEIVES: String(MAX_ATTEMPTS), LOG_LEVEL: 'SILENT' },
    });
    const s = backend.services;
    const call = async (make: (services: BackendServices) => HttpLambda, routeKey: string, body: unknown, headers?: Record<string, string>) => {
      const response = await make(s)(httpEvent(routeKey, body, headers), lambdaContext());
      return JSON.parse(response.body!);
    };
    const signIn = async (phoneNumber: string) => {
      const challenge = await call(makeRequestSmsCode, 'POST /v1/auth/sms', { phoneNumber });
      const verified = await call(makeVerifySmsCode, 'POST /v1/auth/verify', { challengeId: challenge.challengeId, code: challenge.devCode });
      return { authorization: `Bearer ${verified.accessToken}` };
    };
    const reporter = await signIn('+15550000001');
    const advertisers = await Promise.all([2, 3, 4, 5].map((n) => signIn(`+1555000000${n}`)));
    const tokens: string[] = await Promise.all(advertisers.map(async (a) => (await call(makeRegisterTokens, 'POST /v1/tokens', {}, a)).tokens[0].token));
    clock.advance(20 * MIN);
    const upload = async (batchId: string, seen: string[]) => {
      const observations = seen.map((token) => ({ token, firstSeen: NOW.toISOString(), lastSeen: new Date(NOW.getTime() + 15 * MIN).toISOString() }));
      const response = await makeSubmitContacts(s)(httpEvent('POST /v1/contacts', { batchId, observations }, reporter), lambdaContext());
      expect(response.statusCode).toBe(202);
    };
    return { s, tokens, upload };
  };

  /** One delivery round: wait out the visibility timeout, then let the consumer take what is visible. */
  const deliveryRound = async () => {
    await sleep(1_100);
    while ((await backend.eventSource.pollOnce()) > 0);
  };

  it('retries while the engine is down and stores every contact exactly once when it is back', async () => {
    const { s, tokens, upload } = await setUp();
    await proxy.down();
    const ids = ['1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', '2c9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', '3d9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed'];
    await upload(ids[0]!, tokens.slice(0, 2));
    await upload(ids[1]!, tokens.slice(1, 4));
    await upload(ids[2]!, tokens); // overlaps the others: the pairs are merged, not duplicated

    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) await deliveryRound();
    expect((await s.queue.stats()).deadLettered).toBe(0);
    expect((await s.queue.stats()).backlog + (await s.queue.stats()).inFlight).toBe(3);

    await proxy.up();
    await deliveryRound();
    expect(await s.queue.stats()).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 0 });
    expect(await s.contacts.stats()).toEqual({ contacts: 4, batchesApplied: 3, observationsApplied: 9 });
  });

  it('dead-letters a batch with its reason only on the last attempt', async () => {
    const { s, tokens, upload } = await setUp();
    await proxy.down();
    await upload('4e9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', tokens.slice(0, 1));
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      await deliveryRound();
      expect((await s.queue.stats()).deadLettered).toBe(0);
    }
    await deliveryRound();
    expect(await s.queue.stats()).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 1 });
    const { Messages } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: backend.urls.deadLetterQueueUrl, MessageAttributeNames: ['All'], MaxNumberOfMessages: 1 }),
    );
    expect(Messages?.[0]?.MessageAttributes?.reason?.StringValue).toMatch(new RegExp(`^failed on attempt ${MAX_ATTEMPTS} of ${MAX_ATTEMPTS}: `));
    await proxy.up();
    expect((await s.contacts.stats()).batchesApplied).toBe(0);
  });
});
