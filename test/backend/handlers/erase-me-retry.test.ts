import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';
import { handlerClient } from '../../support/handler-client.js';

type Step = [name: string, store: keyof EmbeddedServices, method: string];

/** Every step of `eraseDevice`, in its order; each is failed once in turn. */
const STEPS: Step[] = [
  ['marking the number erased', 'devices', 'beginErasure'],
  ['deleting token issuances', 'tokenRegistry', 'deleteFor'],
  ['deleting contacts', 'contacts', 'deleteFor'],
  ['deleting exposure states and warnings', 'ledger', 'deleteFor'],
  ['deleting cases', 'reports', 'deleteFor'],
  ['forgetting queued batches and dead letters', 'queue', 'forgetReporter'],
  ['deleting tracing tasks', 'outbox', 'deleteFor'],
  ['deleting token flags', 'tokenFlags', 'deleteFor'],
  ['ending the sessions', 'refreshFamilies', 'deleteAllOf'],
  ['deleting the identity', 'identity', 'deleteUser'],
  ['replacing the device row by the erased marker', 'devices', 'completeErasure'],
];

describe('DELETE /v1/me is safe to retry: a failure at any step leaves the device able to call it again', () => {
  const clock = testClock(new Date());
  let h: Awaited<ReturnType<typeof embeddedServices>>;
  let api: ReturnType<typeof handlerClient>;
  beforeAll(async () => {
    h = await embeddedServices({ clock });
    api = handlerClient(h.services, { totpNow: clock.now });
  });
  afterAll(() => h.close());

  it.each(STEPS.map((step, i) => [...step, i] as const))('when %s fails, the retry erases the device and a third call is refused', async (_name, store, method, i) => {
    const device = await api.signIn(`+155500012${String(i).padStart(2, '0')}`);
    const auth = { authorization: device.authorization };
    expect((await api.call('POST /v1/tokens', {}, auth)).status).toBe(201);
    // The handler holds this very object: patching its method reaches it.
    const target = h.services[store] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const real = target[method]!;
    let failed = 0;
    target[method] = (...args) => (failed++ === 0 ? Promise.reject(new Error(`injected failure in ${method}`)) : real.apply(target, args));
    try {
      const first = await api.call('DELETE /v1/me', undefined, auth);
      expect(failed).toBe(1);
      expect(first.status).toBe(500);
      const retry = await api.call('DELETE /v1/me', undefined, auth);
      expect(retry).toMatchObject({ status: 200, body: { erased: { cases: 0, notifications: 0 } } });
    } finally {
      target[method] = real;
    }
    const after = await api.call('DELETE /v1/me', undefined, auth);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('device_erased');
    expect((await api.call('POST /v1/tokens', {}, auth)).status).toBe(401);
  });
});
