import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import type { LocalServer } from '../support/local-server.js';

/** What the scenario needs of a backend: a server it can kill and start again on the same state. */
export interface CrashableBackend {
  /** Starts `npm start`'s program with these settings; `after` is the killed server to take over from. */
  start(env: Record<string, string>, after?: LocalServer): Promise<LocalServer>;
  /** Accepted messages not yet acknowledged by the consumer, read from the queue itself: waiting, and received but not deleted. */
  unacknowledged(server: LocalServer): Promise<{ queued: number; inFlight: number }>;
  /**
   * Whether the kill reliably finds received, undeleted messages: with SQS the consumer holds a
   * batch for its whole invocation; the embedded consumer's receive-to-delete takes a millisecond.
   */
  inFlightAtKill: boolean;
  /** Removes what the backend left (data folder, tables, queues, indices). */
  remove(): Promise<void>;
}

const OFFICIAL = '+15550000100';
const ENV = { OFFICIAL_PHONE_NUMBERS: OFFICIAL, TOKEN_GRACE_MINUTES: '60', QUEUE_VISIBILITY_TIMEOUT_SECONDS: '1', POLL_BATCH_SIZE: '10' };
const BATCHES = 400;
const PER_BATCH = 10;
const KILL_AFTER = 150;

/**
 * Everything accepted with 202 is stored exactly once, even when the process is killed with
 * SIGKILL while uploads arrive and the consumer works through the queue (mid-batch: messages
 * received, merges sent, batch records not yet written), and the devices retry their
 * unacknowledged batches (same batchId) against the restarted process.
 */
export function describeCrashRecovery(title: string, backend: () => Promise<CrashableBackend>): void {
  describe(title, () => {
    const servers: LocalServer[] = [];
    let crashable: CrashableBackend | undefined;
    afterAll(async () => {
      for (const s of servers) await s.stop({ keepData: true });
      await crashable?.remove();
    });

    it('stores every batch exactly once after a SIGKILL under load and client retries', async () => {
      crashable = await backend();
      const first = await crashable.start(ENV);
      servers.push(first);
      const api = new ApiClient(first.url);
      const observers = await Promise.all(Array.from({ length: 4 }, (_, i) => api.signIn(`+1555000030${i}`)));
      const advertisers = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const { client } = await api.signIn(`+155500004${String(i).padStart(2, '0')}`);
          return (await client.request('POST', '/v1/tokens', {})).body.tokens[0].token as string;
        }),
      );
      const now = Date.now();
      const batches = Array.from({ length: BATCHES }, (_, i) => ({
        observer: i % observers.length,
        body: {
          batchId: randomUUID(),
          observations: Array.from({ length: PER_BATCH }, (_, j) => ({
            token: advertisers[(i * 7 + j) % advertisers.length]!,
            firstSeen: new Date(now - (40 - (i % 20)) * 60_000).toISOString(),
            lastSeen: new Date(now - (i % 20) * 60_000).toISOString(),
            rssi: -60,
          })),
        },
      }));

      // Upload with 8 in flight; kill the server once KILL_AFTER batches were acknowledged.
      const acknowledged = new Set<number>();
      let next = 0;
      let killing: Promise<void> | undefined;
      const worker = async () => {
        while (next < BATCHES && !killing) {
          const i = next++;
          const { client } = observers[batches[i]!.observer]!;
          const response = await client.request('POST', '/v1/contacts', batches[i]!.body).catch(() => undefined);
          if (response?.status === 202) acknowledged.add(i);
          if (acknowledged.size >= KILL_AFTER) killing ??= first.kill();
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      await killing;
      // The kill caught the consumer with work left: queued, and (SQS) in the middle of an invocation.
      const left = await crashable.unacknowledged(first);
      expect(left.queued + left.inFlight).toBeGreaterThan(0);
      if (crashable.inFlightAtKill) expect(left.inFlight).toBeGreaterThan(0);

      const second = await crashable.start(ENV, first);
      servers.push(second);
      const retryApi = new ApiClient(second.url);
      for (let i = 0; i < BATCHES; i++) {
        if (acknowledged.has(i)) continue;
        const { accessToken } = observers[batches[i]!.observer]!;
        const retried = await retryApi.withToken(accessToken).request('POST', '/v1/contacts', batches[i]!.body);
        expect(retried.status).toBe(202);
      }
      const official = (await retryApi.signInOfficial(OFFICIAL)).client;
      let stats: any;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        stats = (await official.request('GET', '/v1/admin/stats')).body;
        if (stats.queue.backlog === 0 && stats.queue.inFlight === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(stats.queue).toMatchObject({ backlog: 0, inFlight: 0, deadLettered: 0 });
      expect(stats.batchesProcessed).toBe(BATCHES);
      expect(stats.observationsProcessed).toBe(BATCHES * PER_BATCH);
      const pairs = new Set<string>();
      for (let i = 0; i < BATCHES; i++) for (let j = 0; j < PER_BATCH; j++) pairs.add(`${i % observers.length}:${(i * 7 + j) % advertisers.length}`);
      expect(stats.contactsStored).toBe(pairs.size);
    });
  });
}
