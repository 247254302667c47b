import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseDevice } from '../../backend/src/application/erase-device.js';
import { issueTokens } from '../../backend/src/application/issue-tokens.js';
import { ttlSeconds } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { makePurgeExpiredData } from '../../backend/src/handlers/operations-handlers.js';
import { DAY } from '../support/builders.js';
import { testClock } from '../support/embedded-services.js';
import { TracingWorld } from '../support/tracing-world.js';
import { awsBackend, type AwsBackend } from './support/adapter-backend.js';
import { localAwsClients } from './support/aws-clients.js';
import { everyRecord } from './support/every-record.js';

const clients = localAwsClients();

describe('erasure and retention on the AWS adapters (DynamoDB Local, ElasticMQ, OpenSearch)', () => {
  const clock = testClock(new Date());
  let backend: AwsBackend;
  beforeAll(async () => {
    backend = await awsBackend({ clients, clock, visibilityTimeoutSeconds: 1 });
  });
  afterAll(() => backend.close());

  it("leaves nothing of an erased device in any table, index or queue, and nothing past its retention afterwards", async () => {
    const s = backend.services;
    const world = new TracingWorld(backend, clock);
    const x = await world.device('X');
    const issued = await issueTokens({ cipher: s.cipher, registry: s.tokenRegistry, tokenTtlMinutes: 180, clock: clock.now }, x, 3);
    await world.upload('A', [{ of: 'X', from: 100, to: 70 }]);
    await world.upload('X', [{ of: 'A', from: 100, to: 70 }, { of: 'B', from: 60, to: 30 }]);
    await world.upload('B', [{ of: 'X', from: 60, to: 30 }]);
    await world.settle();
    await world.report('X');
    await world.report('B');
    await world.settle();
    expect((await world.warnings('A')).length).toBe(1);
    expect((await world.warnings('X')).length).toBe(1);
    // Batches still on the queue when the erasure runs: X's own, and another's with X's token.
    await world.upload('X', [{ of: 'A', from: 20, to: 5 }]);
    await world.upload('A', [{ of: 'X', from: 20, to: 5 }]);
    const body = (reporter: number, token: string) => JSON.stringify({ version: 1, batchKey: `${reporter}:dl`, batch: { batchId: 'dl', reporter, receivedAt: clock.now().toISOString(), observations: [{ token, firstSeen: clock.now().toISOString(), lastSeen: clock.now().toISOString() }] } });
    await s.queue.deadLetter(body(x.number, await world.tokenOf('A', clock.now())), 'test', 5);
    await s.queue.deadLetter(body((await world.device('A')).number, issued[0]!.token), 'test', 5);

    const erased = await eraseDevice(
      { tokens: s.tokenRegistry, contacts: s.contacts, ledger: s.ledger, reports: s.reports, outbox: s.outbox, tokenFlags: s.tokenFlags, analytics: { store: s.analytics, keys: s.pseudonymKeys }, queue: s.queue, devices: s.devices, identity: s.identity, refreshFamilies: s.refreshFamilies, cipher: s.cipher, subjectMarkerMs: DAY, clock: clock.now },
      x,
    );
    expect(erased).toMatchObject({ tokens: 3, contacts: 2, notifications: 1, cases: 1 });
    await world.settle();

    const traces = [String(x.number), x.number.toString(36), x.subject, ...issued.map((t) => t.token)];
    const leftovers = (await everyRecord(clients, backend)).filter((r) => traces.some((t) => r.text.includes(t)));
    // Only the erasure markers may name it, for as long as their TTL says.
    expect(leftovers.map((r) => r.where).sort()).toEqual([backend.tables.deviceNumbers, backend.tables.devices].sort());

    // A tracing task of two others that failed every attempt: it waits in the tracer's dead-letter queue.
    const [a, b] = [(await world.device('A')).number, (await world.device('B')).number];
    const task = { key: `pair:dl:${a}:${b}`, task: { kind: 'pair' as const, low: Math.min(a, b), high: Math.max(a, b) } };
    await s.outbox.enqueue([task]);
    for (let attempt = 0; attempt < 100 && (await s.outbox.failed(task.key, 'the ledger was unavailable')) === 'retry'; attempt++);
    expect((await s.outbox.stats()).deadLettered).toBe(1);

    // Past every retention period: the purge deletes what it can reach; what is left carries a TTL
    // already past (DynamoDB deletes those within about two days) or belongs to a live account.
    clock.advance(32 * DAY);
    await makePurgeExpiredData(s)();
    const now = ttlSeconds(clock.now());
    // The ledger's counter shards (negative keys) hold totals, no person.
    const counters = (r: { where: string; text: string }) => r.where === backend.tables.exposures && /"device":-\d+/.test(r.text);
    const expired = (await everyRecord(clients, backend)).filter(
      (r) => r.where !== backend.tables.devices && r.where !== backend.tables.deviceNumbers && !counters(r) && !(r.ttl !== undefined && r.ttl <= now),
    );
    expect(expired.map((r) => `${r.where}: ${r.text.slice(0, 120)}`)).toEqual([]);
    const live = (await everyRecord(clients, backend)).filter((r) => (r.where === backend.tables.devices || r.where === backend.tables.deviceNumbers) && r.text.includes('erased'));
    expect(live.filter((r) => r.ttl === undefined || r.ttl > now)).toEqual([]);
  }, 180_000);
});
