import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';

/**
 * The whole device flow over real HTTP against `npm start`'s program:
 * sign-in, tokens, two-sided and duplicate sightings, an infection notifying first- and
 * second-degree contacts but not third, a late contact, idempotent re-posts, erasure, bad input.
 * One scenario, run on the embedded SQLite stack (test/e2e/device-flow.test.ts) and on the AWS
 * adapters against the local engines (test/services/device-flow-on-aws.test.ts).
 */
const OFFICIAL = '+15550000100';
const MIN = 60_000;

export interface DeviceFlowServer {
  url: string;
  /** Where the keys the access tokens verify against are published (the server itself, or Cognito). */
  jwksUrl: string;
  stop(): Promise<void>;
}

/** `start` runs `npm start`'s program with these extra environment variables. */
export function describeDeviceFlow(title: string, start: (env: Record<string, string>) => Promise<DeviceFlowServer>): void {
  describe(title, () => {
    let server: DeviceFlowServer;
    let api: ApiClient;
    let official: ApiClient;
    const devices: Record<string, { client: ApiClient; deviceId: string; token: string }> = {};

    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MIN).toISOString();
    const sighting = (of: string, fromMinutesAgo: number, toMinutesAgo: number, rssi?: number) => ({
      token: devices[of]!.token,
      firstSeen: at(fromMinutesAgo),
      lastSeen: at(toMinutesAgo),
      ...(rssi === undefined ? {} : { rssi }),
    });
    const upload = (who: string, observations: object[], batchId: string = randomUUID()) =>
      devices[who]!.client.request('POST', '/v1/contacts', { batchId, observations });
    /** Until the contact queue and the tracing outbox are both empty: everything accepted was processed. */
    const drained = async () => {
      for (let i = 0; i < 400; i++) {
        const stats = await official.request('GET', '/v1/admin/stats');
        const { queue, tracing } = stats.body;
        if (queue.backlog === 0 && queue.inFlight === 0 && tracing.waiting === 0) return stats.body;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('queue or tracing outbox did not drain');
    };
    const notificationsOf = async (who: string) => (await devices[who]!.client.request('GET', '/v1/notifications')).body.notifications;

    beforeAll(async () => {
      // A wide grace lets sightings start before the current token window began, whenever the test runs.
      server = await start({ OFFICIAL_PHONE_NUMBERS: OFFICIAL, TOKEN_GRACE_MINUTES: '60' });
      api = new ApiClient(server.url);
      official = (await api.signInOfficial(OFFICIAL)).client;
      let phone = 15550000200;
      for (const name of ['X', 'A', 'B', 'C', 'D', 'E', 'F']) {
        const { client, deviceId } = await api.signIn(`+${phone++}`);
        const tokens = await client.request('POST', '/v1/tokens', { count: 2 });
        expect(tokens.status).toBe(201);
        devices[name] = { client, deviceId, token: tokens.body.tokens[0].token };
      }
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('issues consecutive token windows of the configured length, the same token for the same window', async () => {
      const first = await devices.A!.client.request('POST', '/v1/tokens', { count: 3 });
      expect(first.status).toBe(201);
      const tokens = first.body.tokens as { token: string; validFrom: string; validUntil: string }[];
      expect(tokens).toHaveLength(3);
      for (const t of tokens) {
        expect(t.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(Date.parse(t.validUntil) - Date.parse(t.validFrom)).toBe(180 * MIN);
      }
      expect(tokens[1]!.validFrom).toBe(tokens[0]!.validUntil);
      expect(tokens[0]!.token).toBe(devices.A!.token);
      expect(new Set(Object.values(devices).map((d) => d.token)).size).toBe(Object.keys(devices).length);
    });

    it('stores a two-sided, repeated sighting as one contact and a re-posted batch once', async () => {
      const batchId = randomUUID();
      const fromA = [sighting('X', 40, 10, -60), sighting('X', 38, 12, -65), sighting('B', 30, 5, -55), sighting('D', 20, 15, -50), sighting('E', 40, 5, -90)];
      expect((await upload('A', fromA, batchId)).status).toBe(202);
      const repost = await upload('A', fromA, batchId);
      expect(repost).toEqual({ status: 202, body: { batchId, accepted: 5 } });
      expect((await upload('X', [sighting('A', 39, 11, -62)])).status).toBe(202);
      const withOwn = await upload('B', [sighting('C', 25, 2, -58), sighting('B', 25, 2)]);
      expect(withOwn).toMatchObject({ status: 202, body: { accepted: 1, dropped: [{ index: 1, reason: 'self_contact' }] } });

      const stats = await drained();
      expect(stats.batchesProcessed).toBe(3);
      expect(stats.observationsProcessed).toBe(7);
      // X–A (both sides, twice), A–B, A–D, A–E, B–C; B's sighting of itself was dropped at the door.
      expect(stats.contactsStored).toBe(5);
    });

    it('refuses a batch id reused with different observations', async () => {
      const batchId = randomUUID();
      expect((await upload('C', [sighting('D', 10, 1)], batchId)).status).toBe(202);
      const conflict = await upload('C', [sighting('E', 10, 1)], batchId);
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.code).toBe('batch_id_conflict');
      await drained();
    });

    it('notifies first- and second-degree contacts of a verified infection, not the third degree or weak contacts', async () => {
      const denied = await devices.A!.client.request('POST', '/v1/admin/verification-codes', {});
      expect(denied.status).toBe(403);
      const issued = await official.request('POST', '/v1/admin/verification-codes', {});
      expect(issued.status).toBe(201);

      const report = await devices.X!.client.request('POST', '/v1/infections', { verificationCode: issued.body.code });
      expect(report).toMatchObject({ status: 202, body: { caseId: expect.any(String), tracing: 'queued' } });
      const retried = await devices.X!.client.request('POST', '/v1/infections', { verificationCode: issued.body.code });
      expect(retried).toMatchObject({ status: 202, body: { caseId: report.body.caseId } });
      await drained();

      const [x, a, b, c, d, e] = await Promise.all(['X', 'A', 'B', 'C', 'D', 'E'].map(notificationsOf));
      expect(x).toEqual([]);
      expect(a).toHaveLength(1);
      expect(a[0]).toMatchObject({ kind: 'exposure', degree: 1 });
      expect(a[0].probability).toBeCloseTo(1 / 3);
      expect(b).toHaveLength(1);
      expect(b[0]).toMatchObject({ kind: 'exposure', degree: 2 });
      expect(b[0].probability).toBeCloseTo(1 / 9);
      expect(c).toEqual([]); // third degree: (1/3)^3 < 0.1
      expect(d).toEqual([]); // 5 minutes is too short
      expect(e).toEqual([]); // -90 dBm is too far

      const reused = await devices.A!.client.request('POST', '/v1/infections', { verificationCode: issued.body.code });
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('verification_code_used');
      const unknown = await devices.X!.client.request('POST', '/v1/infections', { verificationCode: 'ZZZZZZZZZZ' });
      expect(unknown.status).toBe(422);
    });

    it('notifies the other party of a contact with an infected device uploaded after the report, once', async () => {
      expect((await upload('F', [sighting('X', 30, 3, -62)])).status).toBe(202);
      await drained();
      const f = await notificationsOf('F');
      expect(f).toHaveLength(1);
      expect(f[0]).toMatchObject({ degree: 1 });

      expect((await upload('X', [sighting('F', 29, 4, -62)])).status).toBe(202);
      await drained();
      expect(await notificationsOf('F')).toHaveLength(1);
      expect(await notificationsOf('A')).toHaveLength(1);
    });

    it('erases everything about a device and refuses its token afterwards', async () => {
      const before = await drained();
      const erased = await devices.B!.client.request('DELETE', '/v1/me');
      expect(erased.status).toBe(200);
      expect(erased.body.erased.tokens).toBeGreaterThanOrEqual(2);
      expect(erased.body.erased.contacts).toBe(2); // A–B and B–C
      expect(erased.body.erased.notifications).toBe(1);
      expect(erased.body.erased.cases).toBe(0);
      const after = await drained();
      expect(after.contactsStored).toBe(before.contactsStored - 2);

      const again = await devices.B!.client.request('GET', '/v1/notifications');
      expect(again.status).toBe(401);
      expect(again.body.error.code).toBe('device_erased');

      // B's tokens still in the air no longer resolve.
      expect((await upload('C', [sighting('B', 30, 1, -50)])).status).toBe(202);
      expect((await drained()).contactsStored).toBe(after.contactsStored);
    });

    describe('bad input gets a clear 4xx, never a 500', () => {
      const validObservation = () => sighting('A', 10, 1);
      it.each([
        ['malformed JSON', '{"batchId": ', 400, 'invalid_json'],
        ['wrong types', { batchId: 42, observations: 'many' }, 400, 'validation_failed'],
        ['51 observations', () => ({ batchId: randomUUID(), observations: Array.from({ length: 51 }, validObservation) }), 400, 'validation_failed'],
        ['no observations', () => ({ batchId: randomUUID(), observations: [] }), 400, 'validation_failed'],
        ['a bad token', () => ({ batchId: randomUUID(), observations: [{ ...validObservation(), token: 'not-a-token' }] }), 400, 'validation_failed'],
        ['lastSeen before firstSeen', () => ({ batchId: randomUUID(), observations: [{ ...validObservation(), lastSeen: at(20) }] }), 400, 'validation_failed'],
        ['a sighting in the future', () => ({ batchId: randomUUID(), observations: [{ ...validObservation(), lastSeen: at(-60) }] }), 400, 'validation_failed'],
        ['an unknown field', () => ({ batchId: randomUUID(), observations: [validObservation()], extra: 1 }), 400, 'validation_failed'],
        ['an oversized body', () => ({ batchId: randomUUID(), observations: [validObservation()], pad: 'x'.repeat(200_000) }), 413, 'payload_too_large'],
      ])('%s', async (_name, body, status, code) => {
        const payload = typeof body === 'function' ? body() : body;
        const response = await devices.C!.client.request('POST', '/v1/contacts', payload);
        expect(response.status).toBe(status);
        expect(response.body.error).toMatchObject({ code });
        expect(typeof response.body.error.message).toBe('string');
      });

      it.each([
        ['no token', undefined, 'unauthorized'],
        ['a malformed header', 'Token abc', 'unauthorized'],
        ['a forged token', 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', 'unauthorized'],
      ])('a request with %s is 401', async (_name, authorization, code) => {
        const response = await api.request('POST', '/v1/tokens', {}, authorization ? { authorization } : {});
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe(code);
      });

      it.each([
        ['a token count of 9', '/v1/tokens', { count: 9 }],
        ['a phone number that is not E.164', '/v1/auth/sms', { phoneNumber: '07700 900123' }],
        ['a verify without code', '/v1/auth/verify', { challengeId: randomUUID() }],
      ])('%s is 400', async (_name, path, body) => {
        const response = await devices.C!.client.request('POST', path, body);
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('validation_failed');
      });

      it('a wrong SMS code is 401 and an unknown route 404', async () => {
        const challenge = await api.request('POST', '/v1/auth/sms', { phoneNumber: '+15550000999' });
        const wrong = String((Number(challenge.body.devCode) + 1) % 1_000_000).padStart(6, '0');
        expect((await api.request('POST', '/v1/auth/verify', { challengeId: challenge.body.challengeId, code: wrong })).status).toBe(401);
        expect((await api.request('GET', '/v1/nothing')).status).toBe(404);
      });
    });

    it('serves the OpenAPI document and the JWKS the access tokens verify against', async () => {
      const doc = await api.request('GET', '/openapi.json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toBe('3.1.0');
      expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/tokens', '/v1/contacts', '/v1/infections', '/v1/me']));
      const { origin, pathname } = new URL(server.jwksUrl);
      const jwks = await new ApiClient(origin).request('GET', pathname);
      expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(jwks.body.keys[0].d).toBeUndefined();
    });
  });
}
