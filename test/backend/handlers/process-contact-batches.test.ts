import type { SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRequestSmsCode, makeVerifySmsCode } from '../../../backend/src/handlers/auth-handlers.js';
import { makeProcessContactBatches } from '../../../backend/src/handlers/process-contact-batches.js';
import { makeRegisterTokens } from '../../../backend/src/handlers/register-tokens.js';
import { makeSubmitContacts } from '../../../backend/src/handlers/submit-contacts.js';
import type { ContactStore } from '../../../backend/src/ports/contact-store.js';
import { NOW } from '../../support/builders.js';
import { embeddedServices, httpEvent, lambdaContext, testClock } from '../../support/embedded-services.js';

type Harness = Awaited<ReturnType<typeof embeddedServices>>;

const record = (messageId: string, body: string, receiveCount: number): SQSRecord => ({
  messageId,
  receiptHandle: `r-${messageId}`,
  body,
  attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 't', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:0:q',
  awsRegion: 'local',
});

describe('processContactBatches handler', () => {
  let h: Harness;
  let queuedBody: string;

  beforeEach(async () => {
    h = await embeddedServices({ clock: testClock(NOW), env: { QUEUE_MAX_RECEIVES: '3' } });
    const s = h.services;
    const signIn = async (phoneNumber: string) => {
      const challenge = JSON.parse((await makeRequestSmsCode(s)(httpEvent('POST /v1/auth/sms', { phoneNumber }), lambdaContext())).body!);
      const verified = await makeVerifySmsCode(s)(httpEvent('POST /v1/auth/verify', { challengeId: challenge.challengeId, code: challenge.devCode }), lambdaContext());
      return { authorization: `Bearer ${JSON.parse(verified.body!).accessToken}` };
    };
    const reporter = await signIn('+15550000001');
    const advertiser = await signIn('+15550000002');
    const tokens = await makeRegisterTokens(s)(httpEvent('POST /v1/tokens', undefined, advertiser), lambdaContext());
    expect(tokens.statusCode).toBe(201);
    const token = JSON.parse(tokens.body!).tokens[0].token;
    const submitted = await makeSubmitContacts(s)(
      httpEvent('POST /v1/contacts', { batchId: '6f1c1d3e-1b1a-4c1e-9a57-0c6a3c1e2b10', observations: [{ token, firstSeen: NOW.toISOString(), lastSeen: NOW.toISOString() }] }, reporter),
      lambdaContext(),
    );
    expect(submitted.statusCode).toBe(202);
    const [message] = await s.embeddedQueue.receive(1);
    queuedBody = message!.body;
  });
  afterEach(() => h.close());

  it('stores a batch and reports no failures', async () => {
    const response = await makeProcessContactBatches(h.services)({ Records: [record('m1', queuedBody, 1)] }, lambdaContext());
    expect(response.batchItemFailures).toEqual([]);
    expect(await h.services.contacts.stats()).toMatchObject({ contacts: 1, batchesApplied: 1 });
  });

  it('dead-letters a message that can never be processed, with the reason, instead of retrying it', async () => {
    const response = await makeProcessContactBatches(h.services)(
      { Records: [record('bad-json', '{oops', 1), record('bad-shape', '{"version":1}', 1), record('good', queuedBody, 1)] },
      lambdaContext(),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(h.services.embeddedQueue.listDeadLetters().map((d) => d.reason)).toEqual([
      'message body is not JSON',
      expect.stringContaining('message does not match the contact batch schema'),
    ]);
    expect((await h.services.contacts.stats()).batchesApplied).toBe(1);
  });

  it('reports a failing record for retry, and dead-letters it with the error on the last attempt', async () => {
    const failing: ContactStore = { ...h.services.contacts, applyBatch: async () => Promise.reject(new Error('search engine unavailable')) };
    const handler = makeProcessContactBatches({ ...h.services, contacts: failing });
    const retry = await handler({ Records: [record('m1', queuedBody, 2)] }, lambdaContext());
    expect(retry.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(h.services.embeddedQueue.listDeadLetters()).toEqual([]);

    const last = await handler({ Records: [record('m1', queuedBody, 3)] }, lambdaContext());
    expect(last.batchItemFailures).toEqual([]);
    expect(h.services.embeddedQueue.listDeadLetters()).toEqual([
      { body: queuedBody, attempts: 3, reason: 'failed on attempt 3 of 3: search engine unavailable' },
    ]);
  });

  it('is idempotent under redelivery', async () => {
    const handler = makeProcessContactBatches(h.services);
    await handler({ Records: [record('m1', queuedBody, 1)] }, lambdaContext());
    await handler({ Records: [record('m1', queuedBody, 2)] }, lambdaContext());
    expect(await h.services.contacts.stats()).toMatchObject({ contacts: 1, batchesApplied: 1, observationsApplied: 1 });
  });

  it('accepts a base64-encoded body as API Gateway may send it', async () => {
    const event = httpEvent('POST /v1/auth/sms');
    event.body = Buffer.from(JSON.stringify({ phoneNumber: '+15550000003' })).toString('base64');
    event.isBase64Encoded = true;
    expect((await makeRequestSmsCode(h.services)(event, lambdaContext())).statusCode).toBe(202);
  });
});
