import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyticsTimer } from '../../../backend/src/local/embedded-consumers.js';
import { NOW } from '../../support/builders.js';
import { testClock } from '../../support/embedded-services.js';
import { embeddedWorldBackend, TracingWorld, type WorldBackend } from '../../support/tracing-world.js';

/**
 * The local stack's schedule for the analytics job (EventBridge's in AWS): every
 * ANALYTICS_INTERVAL_MINUTES it derives the records and figures an official reads, with no one
 * running `npm run analytics`.
 */
describe('the analytics timer of the local stack', { timeout: 120_000 }, () => {
  const clock = testClock(NOW);
  const place = { lat: 52.52, lon: 13.4 };
  let backend: WorldBackend;

  beforeAll(async () => {
    backend = await embeddedWorldBackend(clock, { ANALYTICS_INTERVAL_MINUTES: '30' });
    const world = new TracingWorld(backend, clock);
    await world.upload('A', [{ of: 'B', from: 100, to: 60, location: place }]);
    await world.upload('B', [{ of: 'A', from: 100, to: 60, location: place }]);
    await world.settle();
    await world.report('B');
    await world.settle();
  });
  afterAll(() => backend?.close());
  afterEach(() => vi.useRealTimers());

  it('runs the job once ANALYTICS_INTERVAL_MINUTES have passed, not before, and stop waits for the run', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { services } = backend;
    const timer = analyticsTimer(services, services.config, services.logger);
    timer.start();
    try {
      vi.advanceTimersByTime(29 * 60_000);
      expect(await services.analytics.counts()).toMatchObject({ cases: 0, notifications: 0, figures: 0 });
      vi.advanceTimersByTime(60_000);
    } finally {
      await timer.stop();
    }
    const counts = await services.analytics.counts();
    expect(counts).toMatchObject({ cases: 1, notifications: 1 });
    expect(counts.encounters).toBeGreaterThan(0);
    expect(counts.figures).toBeGreaterThan(0);
  });
});
