import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseDedicatedDeviceResponseSchema } from '../../../backend/src/api/relay-schemas.js';
import { deviceRequestMessage, type DeviceRequestPurpose } from '../../../backend/src/application/relay/device-signed-request.js';
import type { EmbeddedServices } from '../../../backend/src/composition/embedded.js';
import { ed25519PrivateKey, signEd25519 } from '../../../backend/src/domain/relay/relay-signatures.js';
import { makeRequestSmsCode, makeVerifySmsCode } from '../../../backend/src/handlers/auth-handlers.js';
import { makeEraseDedicatedDevice } from '../../../backend/src/handlers/dedicated-erasure-handler.js';
import type { DeviceCredentials } from '../../../device-bridge/src/dedicated/device-credentials.js';
import { MIN, NOW } from '../../support/builders.js';
import { embeddedServices, httpEvent, lambdaContext, testClock, type TestClock } from '../../support/embedded-services.js';
import { deviceKeyPair, provisionDevice } from '../../support/relay-fixtures.js';

const ROUTE = 'POST /v1/dedicated-devices/erasure';

/** POST /v1/dedicated-devices/erasure: who may erase a dedicated device, and that a failed erasure is retried to its end. */
describe('erasing a dedicated device over the API', () => {
  let clock: TestClock;
  let env: Awaited<ReturnType<typeof embeddedServices>>;
  let s: EmbeddedServices;
  let owner: Record<string, string>;
  let device: DeviceCredentials;

  const call = async (body: unknown, headers: Record<string, string> = owner) => {
    const response = await makeEraseDedicatedDevice(s)(httpEvent(ROUTE, body, headers), lambdaContext());
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
  };
  const signed = (at = clock.now(), key = device.signingKey, purpose: DeviceRequestPurpose = 'erase') => ({
    deviceId: device.deviceId,
    requestedAt: at.toISOString(),
    signature: signEd25519(ed25519PrivateKey(key), deviceRequestMessage(purpose, device.deviceId, at)).toString('base64url'),
  });

  beforeEach(async () => {
    clock = testClock(NOW);
    env = await embeddedServices({ clock });
    s = env.services;
    const challenge = await makeRequestSmsCode(s)(httpEvent('POST /v1/auth/sms', { phoneNumber: '+15550166001' }), lambdaContext());
    const { challengeId, devCode } = JSON.parse(challenge.body!);
    const verified = await makeVerifySmsCode(s)(httpEvent('POST /v1/auth/verify', { challengeId, code: devCode }), lambdaContext());
    owner = { authorization: `Bearer ${JSON.parse(verified.body!).accessToken}` };
    device = await provisionDevice(s);
  });
  afterEach(() => env.close());

  it.each([
    ['no session', () => [signed(), {}], 401, 'unauthorized'],
    ['a body that is not the schema', () => [{ ...signed(), extra: 1 }, owner], 400, 'validation_failed'],
    ['a signature that is not 64 bytes', () => [{ ...signed(), signature: 'abc' }, owner], 400, 'validation_failed'],
    ['another key', () => [signed(clock.now(), deviceKeyPair().signingKey), owner], 422, 'device_signature_invalid'],
    ['a bundle renewal’s signature', () => [signed(clock.now(), device.signingKey, 'renew'), owner], 422, 'device_signature_invalid'],
    ['a request older than five minutes', () => [signed(new Date(clock.now().getTime() - 6 * MIN)), owner], 422, 'device_signature_invalid'],
  ] as const)('refuses %s and erases nothing', async (_name, make, status, code) => {
    const [body, headers] = make();
    const response = await call(body, headers as Record<string, string>);
    expect(response).toMatchObject({ status, body: { error: { code } } });
    expect(await s.relay.registry.find(device.deviceId)).toBeDefined();
  });

  it('erases with the device’s signature through any signed-in session, finishes on a retry after a failure halfway, then knows the id no more', async () => {
    const forgetDevice = s.relay.ledger.forgetDevice.bind(s.relay.ledger);
    let failures = 1;
    s.relay.ledger.forgetDevice = async (n) => {
      if (failures-- > 0) throw new Error('the owner-alert store is unavailable');
      return forgetDevice(n);
    };
    const first = await call(signed());
    expect(first.status).toBe(500);
    expect(await s.relay.registry.find(device.deviceId)).toBeDefined(); // still there: the retry can verify
    const retried = await call(signed());
    expect(retried.status).toBe(200);
    const body = eraseDedicatedDeviceResponseSchema.parse(retried.body);
    expect(body.erased).toMatchObject({ tokens: 0, relayRecords: 1 }); // the first call erased the tokens already
    expect(await s.relay.registry.find(device.deviceId)).toBeUndefined();
    expect(await call(signed())).toMatchObject({ status: 422, body: { error: { code: 'device_unknown' } } });
  });
});
