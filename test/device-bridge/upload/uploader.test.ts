import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryOutbox } from '../../../device-bridge/src/outbox/memory-outbox.js';
import { backoffDelay } from '../../../device-bridge/src/upload/backoff.js';
import { Uploader, type UploadEvent } from '../../../device-bridge/src/upload/uploader.js';
import { makeClient } from '../support/api.js';
import { observations } from '../support/builders.js';
import { startFakeBackend, type FakeBackend } from '../support/fake-backend.js';

let backend: FakeBackend;
beforeAll(async () => (backend = await startFakeBackend()));
afterAll(() => backend.stop());
afterEach(() => {
  backend.state.interceptor = undefined;
  backend.state.down = false;
});

function setup() {
  const store = new MemoryOutbox();
  const events: UploadEvent[] = [];
  const { client } = makeClient(backend.url);
  const uploader = new Uploader(store, client, { backoff: { baseMs: 5, maxMs: 20 }, onEvent: (e) => events.push(e) });
  return { store, events, uploader };
}

const waitFor = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('Uploader', () => {
  it('uploads a due batch and removes it from the outbox', async () => {
    const { store, uploader } = setup();
    store.addObservations(observations(3), 0);
    const batch = store.sealBatch('aaaaaaaa-0000-4000-8000-000000000001', 50, 0)!;
    expect(await uploader.uploadNext()).toBe('uploaded');
    expect(store.counts().batches).toBe(0);
    expect(backend.batches.get(batch.batchId)?.observations).toEqual(batch.observations);
  });

  it('retries with the same batchId, so the backend stores the batch once', async () => {
    const { store, uploader, events } = setup();
    store.addObservations(observations(2), 0);
    const { batchId } = store.sealBatch('aaaaaaaa-0000-4000-8000-000000000002', 50, 0)!;
    let failures = 2;
    backend.state.interceptor = (req, res) => {
      if (req.url !== '/v1/contacts' || failures-- <= 0) return false;
      res.writeHead(503).end('{}');
      return true;
    };
    uploader.start();
    await waitFor(() => store.counts().batches === 0);
    await uploader.stop();
    const posted = backend.requests.filter((r) => r.path === '/v1/contacts' && (r.body as { batchId: string }).batchId === batchId);
    expect(posted.map((r) => r.status)).toEqual([503, 503, 202]);
    expect(events.map((e) => e.type)).toEqual(['retry_scheduled', 'retry_scheduled', 'uploaded']);
  });

  it('dead-letters a batch on a permanent 4xx and keeps it on disk', async () => {
    const { store, uploader } = setup();
    store.addObservations(observations(1), 0);
    store.sealBatch('aaaaaaaa-0000-4000-8000-000000000003', 50, 0);
    backend.state.interceptor = (req, res) => {
      if (req.url !== '/v1/contacts') return false;
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'invalid_batch', message: 'bad', details: {} } }));
      return true;
    };
    expect(await uploader.uploadNext()).toBe('dead');
    expect(store.deadBatches()[0]?.reason).toContain('invalid_batch');
    expect(await uploader.uploadNext()).toBe('idle');
  });

  it('rides out an outage: keeps retrying while down, delivers everything once it is back', async () => {
    const { store, uploader } = setup();
    store.addObservations(observations(120), 0);
    for (let i = 0; i < 3; i++) store.sealBatch(`bbbbbbbb-0000-4000-8000-00000000000${i}`, 50, i);
    backend.state.down = true;
    uploader.start();
    await waitFor(() => backend.requests.filter((r) => r.status === 503).length >= 5);
    expect(store.counts().batches).toBe(3);
    backend.state.down = false;
    await waitFor(() => store.counts().batches === 0);
    await uploader.stop();
    expect([...backend.batches.keys()].filter((k) => k.startsWith('bbbbbbbb'))).toHaveLength(3);
  });

  it('on shutdown drains batches that are still backing off', async () => {
    const { store, uploader } = setup();
    store.addObservations(observations(1), 0);
    store.sealBatch('aaaaaaaa-0000-4000-8000-000000000004', 50, 0);
    store.markRetry('aaaaaaaa-0000-4000-8000-000000000004', 3, Date.now() + 3_600_000, 'down');
    await uploader.drain();
    expect(store.counts().batches).toBe(1);
    await uploader.drain(true);
    expect(store.counts().batches).toBe(0);
  });

  it.each([
    [1, 0, 500],
    [1, 1, 1000],
    [3, 0, 2000],
    [30, 0.5, 225_000],
  ])('backoff for attempt %i with random %f is %i ms', (attempt, r, expected) => {
    expect(backoffDelay(attempt, () => r)).toBe(expected);
  });
});
