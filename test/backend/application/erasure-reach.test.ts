import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eraseDevice } from '../../../backend/src/application/erase-device.js';
import { eraseDeviceDeps } from '../../../backend/src/composition/erase-deps.js';
import { issueTokens } from '../../../backend/src/application/issue-tokens.js';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import { makePurgeExpiredData } from '../../../backend/src/handlers/operations-handlers.js';
import { DAY, NOW } from '../../support/builders.js';
import { testClock } from '../../support/embedded-services.js';
import { embeddedWorldBackend, TracingWorld } from '../../support/tracing-world.js';
import { everyRow } from '../../support/every-row.js';

const PHONE = '+15550001234';

describe('erasure reaches every copy; retention empties every store', () => {
  it("leaves nothing of an erased device anywhere in the embedded file: its number, subject, phone hash or tokens", async () => {
    const clock = testClock(NOW);
    const backend = await embeddedWorldBackend(clock, { OFFICIAL_PHONE_NUMBERS: '+15550000100', DEV_SMS_ECHO: '1' });
    const s = backend.services as EmbeddedServices;
    try {
      // X signs in by phone, as a real device would, and fetches its tokens.
      const challenge = await s.identity.startSignIn(PHONE, 'device');
      const { subject } = await s.identity.completeSignIn(challenge.challengeId, challenge.devCode!);
      const x = await s.devices.ensureDevice(subject, NOW);
      const world = new TracingWorld(backend, clock);
      (world as unknown as { devices: Map<string, typeof x> }).devices.set('X', x);
      const issued = await issueTokens({ cipher: s.cipher, registry: s.tokenRegistry, tokenTtlMinutes: 180, clock: clock.now }, x, 3);

      // X meets A and B on both sides, reports an infection, and is warned of B's.
      await world.upload('A', [{ of: 'X', from: 100, to: 70 }]);
      await world.upload('X', [{ of: 'A', from: 100, to: 70 }, { of: 'B', from: 60, to: 30 }]);
      await world.upload('B', [{ of: 'X', from: 60, to: 30 }]);
      await world.settle();
      await world.report('X');
      await world.report('B');
      await world.settle();
      expect((await world.warnings('A')).length).toBe(1);
      expect((await world.warnings('X')).length).toBe(1);

      // Copies still in flight: X's own batch queued, another's batch with X's token queued,
      // dead letters from X and from A naming X's token, a pending sign-in, a task naming X.
      await world.upload('X', [{ of: 'A', from: 20, to: 5 }]);
      await world.upload('A', [{ of: 'X', from: 20, to: 5 }]);
      const body = (reporter: number, token: string) => JSON.stringify({ version: 1, batchKey: `${reporter}:dl`, batch: { batchId: 'dl', reporter, receivedAt: NOW.toISOString(), observations: [{ token, firstSeen: NOW.toISOString(), lastSeen: NOW.toISOString() }] } });
      await s.queue.deadLetter(body(x.number, await world.tokenOf('A', NOW)), 'test', 5);
      await s.queue.deadLetter(body((await world.device('A')).number, issued[0]!.token), 'test', 5);
      await s.identity.startSignIn(PHONE, 'device');

      const erased = await eraseDevice(eraseDeviceDeps(s), x);
      expect(erased).toMatchObject({ tokens: 3, contacts: 2, notifications: 1, cases: 1 });
      await world.settle();

      const keys = JSON.parse(readFileSync(join(backend.dataDir, 'identity-keys.json'), 'utf8')) as { phoneHashSecret: string };
      const phoneHash = createHmac('sha256', Buffer.from(keys.phoneHashSecret, 'base64url')).update(PHONE).digest('base64url');
      const traces = [String(x.number), x.number.toString(36), subject, phoneHash, ...issued.map((t) => t.token)];
      const leftovers = everyRow(s).filter((row) => traces.some((t) => row.text.includes(t)));
      // Only the erasure markers may name it: the number until its tokens can no longer be accepted,
      // the subject until its access tokens expire.
      expect(leftovers.map((r) => r.table).sort()).toEqual(['erased_devices', 'erased_subjects']);

      // After every retention period, with no new activity, every store of personal or health data is empty.
      clock.advance(32 * DAY);
      await makePurgeExpiredData(s)();
      const remaining = everyRow(s).filter((row) => !['devices', 'identity_users'].includes(row.table));
      expect(remaining.map((r) => r.table)).toEqual([]);
    } finally {
      await backend.close();
    }
  });
});
