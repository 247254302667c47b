import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendServices } from '../../../backend/src/composition/backend-services.js';
import { recordBatchOutcome } from '../../../backend/src/handlers/contact-batch-metrics.js';
import { instrumentedRoute } from '../../../backend/src/handlers/http/instrumented-route.js';
import { makeReadiness } from '../../../backend/src/handlers/operations-handlers.js';
import { buildRouteTable, FALLBACK_ROUTE, ROUTES } from '../../../backend/src/handlers/routes.js';
import { NOW } from '../../support/builders.js';
import { embeddedServices, httpEvent, lambdaContext, testClock, type TestClock } from '../../support/embedded-services.js';
import { RecordingMetrics } from '../../support/recording-metrics.js';
import { embeddedWorldBackend, TracingWorld } from '../../support/tracing-world.js';

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
    expect([...routes.keys()].sort()).toEqual([...Object.keys(ROUTES), FALLBACK_ROUTE].sort());
    await routes.get('GET /health')!(httpEvent('GET /health'), lambdaContext());
    await routes.get('POST /v1/tokens')!(httpEvent('POST /v1/tokens', {}), lambdaContext());
    expect(metrics.flushed).toHaveLength(2);
    expect(metrics.total('HttpRequests', { route: 'GET /health' })).toBe(1);
    expect(metrics.total('HttpClientErrors', { route: 'POST /v1/tokens' })).toBe(1);
    expect(metrics.total('HttpServerErrors')).toBe(0);
    expect(metrics.flushed[0]!.some((m) => m.name === 'HttpLatency' && m.dimensions.route === 'GET /health')).toBe(true);
  });

  it('counts a 500 as a server error', async () => {
    metrics = new RecordingMetrics();
    const services = { ...harness.services, metrics };
    const failing = instrumentedRoute('GET /v1/admin/stats', () => async () => ({ statusCode: 500, body: '{}' }), services);
    await failing(httpEvent('GET /v1/admin/stats'), lambdaContext());
    expect(metrics.total('HttpServerErrors', { route: 'GET /v1/admin/stats' })).toBe(1);
    expect(metrics.total('TimeToNotify')).toBe(0);
  });
});

describe('tracer metrics: warnings delivered, and the time from the infection report to each delivery', () => {
  it('counts every warning delivered and times it from the report, through the queue and the outbox', async () => {
    const clock = testClock(NOW);
    const backend = await embeddedWorldBackend(clock);
    try {
      const metrics = new RecordingMetrics();
      backend.services.metrics = metrics;
      const world = new TracingWorld(backend, clock);
      await world.upload('index', [{ of: 'near', from: 40, to: 5, rssi: -50 }, { of: 'other', from: 40, to: 5, rssi: -52 }]);
      await world.settle();
      await world.report('index');
      // The stream's batching and the tracer's runs take time in AWS; here the clock moves by hand.
      clock.advance(2_500);
      await world.settle();
      expect(await world.degrees(['near', 'other'])).toEqual({ near: 1, other: 1 });
      expect(metrics.total('NotificationsSent')).toBe(2);
      const times = metrics.flushed.flat().filter((m) => m.name === 'TimeToNotify').map((m) => m.value);
      expect(times).toEqual([2_500, 2_500]);
    } finally {
      await backend.close();
    }
  });

  it('does not time warnings found later from an upload (no report time on their chain), but counts them', async () => {
    const clock = testClock(NOW);
    const backend = await embeddedWorldBackend(clock);
    try {
      const metrics = new RecordingMetrics();
      backend.services.metrics = metrics;
      const world = new TracingWorld(backend, clock);
      await world.device('late');
      await world.report('index');
      await world.settle();
      clock.advance(60_000);
      await world.upload('index', [{ of: 'late', from: 40, to: 5, rssi: -50 }]);
      await world.settle();
      expect(await world.degrees(['late'])).toEqual({ late: 1 });
      expect(metrics.total('NotificationsSent')).toBe(1);
      expect(metrics.total('TimeToNotify')).toBe(0);
    } finally {
      await backend.close();
    }
  });
});

describe('Function: recordBatchOutcome (the consumer metrics)', () => {
  const record = (sentAt: number, body = JSON.stringify({ batch: { observations: [{}, {}, {}] } })) =>
    ({ messageId: 'm', body, attributes: { SentTimestamp: String(sentAt), ApproximateReceiveCount: '1' } }) as unknown as SQSRecord;

  it.each([
    ['stored', { status: 'stored', contacts: 2, dropped: { unknown_token: 0, outside_window: 1, too_old: 0, self_contact: 0, erased_device: 0 }, tasks: 1 }, { ContactBatches: 1, Observations: 3, ContactsStored: 2, ObservationsDropped: 1, UploadToStored: 4_000, NotificationsSent: 0 }],
    ['duplicate', { status: 'duplicate', tasks: 0 }, { ContactBatches: 1, ContactBatchesDuplicate: 1, ContactsStored: 0 }],
    ['dead-lettered', { status: 'dead-lettered', reason: 'x' }, { ContactBatches: 1, BatchesDeadLettered: 1, Observations: 0 }],
    ['failed (retried: counted again when it comes back)', { status: 'failed', error: new Error('search down') }, { ContactBatches: 1, ContactsStored: 0, BatchesDeadLettered: 0 }],
  ] as const)('%s', (_name, outcome, expected) => {
    const metrics = new RecordingMetrics();
    recordBatchOutcome(metrics, record(NOW.getTime() - 4_000), outcome as never, () => NOW);
    metrics.flush();
    for (const [name, value] of Object.entries(expected)) expect(metrics.total(name as never), name).toBe(value);
    if (outcome.status === 'stored') expect(metrics.total('ObservationsDropped', { reason: 'outside_window' })).toBe(1);
  });
});
