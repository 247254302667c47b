import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renewalMessage } from '../../../backend/src/application/relay/register-dedicated-device.js';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import { ed25519PrivateKey, signEd25519 } from '../../../backend/src/domain/relay/relay-signatures.js';
import { makeRequestSmsCode, makeVerifySmsCode } from '../../../backend/src/handlers/auth-handlers.js';
import { makeRegisterDedicatedDevice, makeRenewBundle, makeStartOwnerVerification } from '../../../backend/src/handlers/relay-handlers.js';
import { MIN, NOW } from '../../support/builders.js';
import { embeddedServices, httpEvent, lambdaContext, testClock, type TestClock } from '../../support/embedded-services.js';
import { deviceKeyPair } from '../../support/relay-fixtures.js';

const OWNER = '+15550155001';

describe('registering a dedicated device', () => {
  let clock: TestClock;
  let env: Awaited<ReturnType<typeof embeddedServices>>;
  let s: EmbeddedServices;
  let registrar: Record<string, string>;

  const call = async (make: (s: EmbeddedServices) => ReturnType<typeof makeRegisterDedicatedDevice>, routeKey: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await make(s)(httpEvent(routeKey, body, headers), lambdaContext());
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
  };
  const verifyOwner = () => call(makeStartOwnerVerification, 'POST /v1/dedicated-devices/owner-verification', { phoneNumber: OWNER }, registrar);
  const register = (verificationId: string, code: string, publicKey = deviceKeyPair().publicKey) =>
    call(makeRegisterDedicatedDevice, 'POST /v1/dedicated-devices', { publicKey: publicKey.toString('base64url'), owner: { verificationId, code } }, registrar);

  beforeEach(async () => {
    clock = testClock(NOW);
    env = await embeddedServices({ clock });
    s = env.services;
    const challenge = await call(makeRequestSmsCode, 'POST /v1/auth/sms', { phoneNumber: '+15550155999' });
    const verified = await call(makeVerifySmsCode, 'POST /v1/auth/verify', { challengeId: challenge.body.challengeId, code: challenge.body.devCode });
    registrar = { authorization: `Bearer ${verified.body.accessToken}` };
  });
  afterEach(() => env.close());

  it("registers the device for its verified owner: key, sealed number, a bundle of DEDICATED_BUNDLE_DAYS of tokens, the backend's keys", async () => {
    const started = await verifyOwner();
    expect(started.status).toBe(202);
    const registered = await register(started.body.verificationId, started.body.devCode);
    expect(registered.status).toBe(201);
    expect(registered.body.tokens).toHaveLength(32);
    expect(registered.body.backend).toEqual({ batchKeyId: 1, batchPublicKey: s.relay.keys.newestBatchKey.publicKey.toString('base64url'), ackPublicKey: s.relay.keys.ackPublicKey.toString('base64url') });
    const row = s.database.db.prepare('SELECT * FROM dedicated_devices').get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(OWNER.slice(1));
    expect(await s.tokenRegistry.countFor(row.device_number as number)).toBe(32);
  });

  it.each([
    ['a wrong code', async (id: string) => [id, '000000'], 401, 'code_mismatch'],
    ['a ticket whose number was swapped', async (id: string, code: string) => [`${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(id.split('.')[0]!, 'base64url').toString()), p: 'x' })).toString('base64url')}.${id.split('.')[1]}`, code], 422, 'owner_verification_invalid'],
  ])('refuses %s', async (_name, tamper, status, code) => {
    const started = await verifyOwner();
    const [id, c] = await tamper(started.body.verificationId, started.body.devCode);
    const response = await register(id!, c!);
    expect(response).toMatchObject({ status, body: { error: { code } } });
    expect(s.database.db.prepare('SELECT COUNT(*) AS n FROM dedicated_devices').get()).toEqual({ n: 0 });
  });

  it("counts owner SMS and wrong owner codes under the sign-in limits of the owner's number", async () => {
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push((await verifyOwner()).status);
    expect(sent).toEqual([202, 202, 202, 429]); // three SMS per number per 15 minutes, whoever asks
    clock.advance(16 * MIN);
    const started = await verifyOwner();
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push((await register(started.body.verificationId, '000000')).status);
    // The challenge allows few answers; then the number's growing wait holds, as for a sign-in.
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.slice(5)).toEqual([429, 429]);
    expect(s.database.db.prepare('SELECT COUNT(*) AS n FROM dedicated_devices').get()).toEqual({ n: 0 });
  });

  it('refuses an owner verification that expired', async () => {
    const started = await verifyOwner();
    clock.advance(11 * MIN);
    expect((await register(started.body.verificationId, started.body.devCode)).body.error.code).toBe('owner_verification_invalid');
  });

  it('renews the bundle only when the device itself signs for it, recently', async () => {
    const keys = deviceKeyPair();
    const started = await verifyOwner();
    const { deviceId } = (await register(started.body.verificationId, started.body.devCode, keys.publicKey)).body;
    clock.advance(30 * MIN); // within the registrar's access-token lifetime
    const renew = (at: Date, key = keys.signingKey) =>
      call(makeRenewBundle, 'POST /v1/dedicated-devices/bundle', { deviceId, requestedAt: at.toISOString(), signature: signEd25519(ed25519PrivateKey(key), renewalMessage(deviceId, at)).toString('base64url') }, registrar);
    expect((await renew(clock.now(), deviceKeyPair().signingKey)).body.error.code).toBe('device_signature_invalid');
    expect((await renew(new Date(clock.now().getTime() - 10 * MIN))).body.error.code).toBe('device_signature_invalid');
    const renewed = await renew(clock.now());
    expect(renewed.status).toBe(201);
    expect(Date.parse(renewed.body.tokens.at(-1).validUntil)).toBeGreaterThan(clock.now().getTime() + 3 * 24 * 60 * MIN);
    expect((await s.relay.registry.find(deviceId))!.bundleUntil.toISOString()).toBe(renewed.body.tokens.at(-1).validUntil);
  });
});
