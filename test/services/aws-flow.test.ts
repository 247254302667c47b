import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackendServices } from '../../backend/src/composition/backend-services.js';
import { makeRequestSmsCode, makeVerifySmsCode } from '../../backend/src/handlers/auth-handlers.js';
import { makeGetNotifications } from '../../backend/src/handlers/device-handlers.js';
import { makeIssueVerificationCode, makeReportInfection } from '../../backend/src/handlers/infection-handlers.js';
import { makeRegisterTokens } from '../../backend/src/handlers/register-tokens.js';
import { makeSubmitContacts } from '../../backend/src/handlers/submit-contacts.js';
import type { SqsEventSource } from '../../backend/src/local/sqs-event-source.js';
import { MIN, NOW } from '../support/builders.js';
import { handlerClient } from '../support/handler-client.js';
import { httpEvent, lambdaContext, testClock, type TestClock } from '../support/embedded-services.js';
import { awsBackend, type AwsBackend } from './support/adapter-backend.js';
import { localAwsClients } from './support/aws-clients.js';

const clients = localAwsClients();
const OFFICIAL = '+15550000100';

/**
 * The Lambda handlers on the AWS adapters: DynamoDB Local for devices, tokens, codes, cases and
 * notifications, ElasticMQ for the contact queue (consumed through SqsEventSource as Lambda's
 * event source would), OpenSearch for contacts. Identity and token keys stay local.
 */
describe('device flow on the AWS adapters', () => {
  let clock: TestClock;
  let backend: AwsBackend;
  let s: BackendServices;
  let eventSource: SqsEventSource;

  beforeEach(async () => {
    clock = testClock(NOW);
    backend = await awsBackend({ clients, clock, env: { OFFICIAL_PHONE_NUMBERS: OFFICIAL } });
    ({ services: s, eventSource } = backend);
  });
  afterEach(() => backend.close());

  const call = async (handler: ReturnType<typeof makeRegisterTokens>, routeKey: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await handler(httpEvent(routeKey, body, headers), lambdaContext());
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
  };
  const signIn = async (phoneNumber: string) => {
    const challenge = await call(makeRequestSmsCode(s), 'POST /v1/auth/sms', { phoneNumber });
    const verified = await call(makeVerifySmsCode(s), 'POST /v1/auth/verify', { challengeId: challenge.body.challengeId, code: challenge.body.devCode });
    return { authorization: `Bearer ${verified.body.accessToken}` };
  };

  it('carries a contact from upload through SQS and OpenSearch to a notification in DynamoDB', async () => {
    const [alice, bob, official] = await Promise.all([signIn('+15550000001'), signIn('+15550000002'), handlerClient(s, { totpNow: clock.now }).signInOfficial(OFFICIAL)]);
    const tokens = await call(makeRegisterTokens(s), 'POST /v1/tokens', { count: 1 }, bob);
    expect(tokens.status).toBe(201);
    clock.advance(30 * MIN);
    const sighting = { token: tokens.body.tokens[0].token, firstSeen: NOW.toISOString(), lastSeen: new Date(NOW.getTime() + 25 * MIN).toISOString() };
    const upload = { batchId: '6f1c1d3e-1b1a-4c1e-9a57-0c6a3c1e2b10', observations: [sighting] };
    expect((await call(makeSubmitContacts(s), 'POST /v1/contacts', upload, alice)).status).toBe(202);
    expect((await call(makeSubmitContacts(s), 'POST /v1/contacts', upload, alice)).status).toBe(202);
    expect(await s.queue.stats()).toMatchObject({ backlog: 1 });

    expect(await eventSource.pollOnce()).toBe(1);
    expect(await s.queue.stats()).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 0 });
    expect(await s.contacts.stats()).toEqual({ contacts: 1, batchesApplied: 1, observationsApplied: 1 });

    const code = await call(makeIssueVerificationCode(s), 'POST /v1/admin/verification-codes', {}, official);
    expect(code.status).toBe(201);
    const reported = await call(makeReportInfection(s), 'POST /v1/infections', { verificationCode: code.body.code }, alice);
    expect(reported).toMatchObject({ status: 202, body: { caseId: expect.any(String), tracing: 'queued' } });
    // The tracer, fed by the outbox's DynamoDB stream as Lambda's event source would feed it.
    expect(await backend.streamSource.drain()).toBeGreaterThan(0);
    const notifications = await call(makeGetNotifications(s), 'GET /v1/notifications', undefined, bob);
    expect(notifications.body.notifications).toEqual([expect.objectContaining({ kind: 'exposure', degree: 1 })]);
    expect(await s.ledger.stats()).toEqual({ notifications: 1, raised: 0 });
    const retried = await call(makeReportInfection(s), 'POST /v1/infections', { verificationCode: code.body.code }, alice);
    expect(retried).toMatchObject({ status: 202, body: { caseId: reported.body.caseId } });
    expect((await call(makeReportInfection(s), 'POST /v1/infections', { verificationCode: code.body.code }, bob)).status).toBe(409);
  });

  it('dead-letters a message that can never be processed, with its reason, and deletes it from the queue', async () => {
    await s.queue.enqueue('{oops', 'r:bad', 'h', 1);
    expect(await eventSource.pollOnce()).toBe(1);
    expect(await s.queue.stats()).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 1 });
  });
});
