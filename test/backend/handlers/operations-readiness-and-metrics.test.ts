import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendServices } from '../../../backend/src/composition/backend-services.js';
import { recordBatchOutcome } from '../../../backend/src/handlers/contact-batch-metrics.js';
import { instrumentedRoute } from '../../../backend/src/handlers/http/instrumented-route.js';
import { makeReadiness } from '../../../backend/src/handlers/operations-handlers.js';
import { buildRouteTable, ROUTES } from '../../../backend/src/handlers/routes.js';
import { NOW } from '../../support/builders.js';
import { embeddedServices, httpEvent, lambdaContext, testClock, type TestClock } from '../../support/embedded-services.js';
import { RecordingMetrics } from '../../support/recording-metrics.js';

describe('GET /ready', () => {
  let clock: TestClock;
  let harness: Awaited<ReturnType<typeof embeddedServices>>;
  beforeAll(async () => {
    clock = testClock(NOW);
    harness = await embeddedServices({ clock });
  });
  afterAll(() => harness.close());

  it('answers 200 with each dependency checked (the embedded store: its SQLite file)', async () => {
    const response = await makeReadiness(harness.services)(httpEvent('GET /ready'), lambdaContext());
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({ status: 'ready', checks: { sqlite: { ok: true, ms: expect.any(Number) } } });
  });

  it('answers 503 naming the failing dependency, and probes again only after 10 s', async () => {
    let calls = 0;
    const services: BackendServices = {
      ...harness.services,
      dependencyChecks: {
        sqlite: async () => {},
        search: async () => {
          calls++;
          throw new Error('connect ECONNREFUSED 127.0.0.1:9200');
        },
      },
    };
    const ready = makeReadiness(services);
    const first = await ready(httpEvent('GET /ready'), lambdaContext());
    expect(first.statusCode).toBe(503);
    expect(JSON.parse(first.body!)).toMatchObject({ status: 'not_ready', checks: { sqlite: { ok: true }, search: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9200' } } });
    clock.advance(9_999);
    await ready(httpEvent('GET /ready'), lambdaContext());
    expect(calls).toBe(1);
    clock.advance(1);
    await ready(httpEvent('GET /ready'), lambdaContext());
    expect(calls).toBe(2);
  });
});

describe('HTTP metrics (every route, through the route table and the Lambda entries)', () => {
  let harness: Awaited<ReturnType<typeof embeddedServices>>;
  let metrics: RecordingMetrics;
  let clock: TestClock;
  beforeAll(async () => {
    clock = testClock(NOW);
    harness = await embeddedServices({ clock });
  });
  afterAll(() => harness.close());

  it('counts requests, 4xx and 5xx by route, with latency, flushed after each answer', async () => {
    metrics = new RecordingMetrics();
    const routes = buildRouteTable({ ...harness.services, metrics });
    expect([...routes.keys()].sort()).toEqual(Object.keys(ROUTES).sort());
    await routes.get('GET /health')!(httpEvent('GET /health'), lambdaContext());
    await routes.get('POST /v1/tokens')!(httpEvent('POST /v1/tokens', {}), lambdaContext());
    expect(metrics.flushed).toHaveLength(2);
    expect(metrics.total('HttpRequests', { route: 'GET /health' })).toBe(1);
    expect(metrics.total('HttpClientErrors', { route: 'POST /v1/tokens' })).toBe(1);
    expect(metrics.total('HttpServerErrors')).toBe(0);
    expect(metrics.flushed[0]!.some((m) => m.name === 'HttpLatency' && m.dimensions.route === 'GET /health')).toBe(true);
  });

  it('counts a 500 as a server error, and the infection route as time to notify when it succeeds', async () => {
    metrics = new RecordingMetrics();
    const services = { ...harness.services, metrics };
    const failing = instrumentedRoute('GET /v1/admin/stats', () => async () => ({ statusCode: 500, body: '{}' }), services);
    await failing(httpEvent('GET /v1/admin/stats'), lambdaContext());
    expect(metrics.total('HttpServerErrors', { route: 'GET /v1/admin/stats' })).toBe(1);
    const reporting = instrumentedRoute(
      'POST /v1/infections',
      () => async () => {
        clock.advance(1_250);
        return { statusCode: 202, body: '{}' };
      },
      services,
    );
    await reporting(httpEvent('POST /v1/infections', {}), lambdaContext());
    expect(metrics.total('TimeToNotify')).toBe(1_250);
  });
});

describe('Function: recordBatchOutcome (the consumer metrics)', () => {
  const record = (sentAt: number, body = JSON.stringify({ batch: { observations: [{}, {}, {}] } })) =>
    ({ messageId: 'm', body, attributes: { SentTimestamp: String(sentAt), ApproximateReceiveCount: '1' } }) as unknown as SQSRecord;

  it.each([
    ['stored', { status: 'stored', contacts: 2, dropped: { unknown_token: 0, expired_token: 1, stale_sighting: 0, self_contact: 0, erased_device: 0 }, notified: 1 }, { ContactBatches: 1, Observations: 3, ContactsStored: 2, ObservationsDropped: 1, UploadToStored: 4_000, NotificationsSent: 1, TimeToNotify: 4_000 }],
    ['duplicate', { status: 'duplicate', notified: 0 }, { ContactBatches: 1, ContactBatchesDuplicate: 1, ContactsStored: 0 }],
    ['dead-lettered', { status: 'dead-lettered', reason: 'x' }, { ContactBatches: 1, BatchesDeadLettered: 1, Observations: 0 }],
  ] as const)('%s', (_name, outcome, expected) => {
    const metrics = new RecordingMetrics();
    recordBatchOutcome(metrics, record(NOW.getTime() - 4_000), outcome as never, () => NOW);
    metrics.flush();
    for (const [name, value] of Object.entries(expected)) expect(metrics.total(name as never), name).toBe(value);
    if (outcome.status === 'stored') expect(metrics.total('ObservationsDropped', { reason: 'expired_token' })).toBe(1);
  });
});
