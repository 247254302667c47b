import { generateKeyPairSync } from 'node:crypto';
import { acceptRelayedBatches } from '../../backend/src/application/relay/accept-relayed-batches.js';
import { registerDedicatedDevice } from '../../backend/src/application/relay/register-dedicated-device.js';
import type { BackendServices } from '../../backend/src/composition/backend-services.js';
import { bundleDeps, relayDeps } from '../../backend/src/composition/relay-services.js';
import { rawPrivateKey, rawPublicKey } from '../../backend/src/domain/relay/relay-signatures.js';
import type { DeviceCredentials } from '../../device-bridge/src/dedicated/device-credentials.js';
import type { RelayApi } from '../../device-bridge/src/ports/relay-api.js';

/** A fresh Ed25519 identity as a dedicated device would generate it. */
export function deviceKeyPair(): { signingKey: Buffer; publicKey: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signingKey: rawPrivateKey(privateKey), publicKey: rawPublicKey(publicKey) };
}

/** Registers a dedicated device straight through the use case (the owner's SMS verification is tested on its own). */
export async function provisionDevice(s: BackendServices, ownerPhone = '+15550177001', windows = 8): Promise<DeviceCredentials> {
  const keys = deviceKeyPair();
  const provisioned = await registerDedicatedDevice(
    bundleDeps(s),
    { publicKey: keys.publicKey, ownerPhone, windows },
  );
  return {
    deviceId: provisioned.deviceId,
    ...keys,
    tokens: provisioned.tokens.map((t) => ({ token: t.token, validFrom: t.validFrom.getTime(), validUntil: t.validUntil.getTime() })),
    backend: provisioned.backend,
    provisionedAt: s.clock().getTime(),
  };
}

/** The relay API answered by the backend's use case in this process, for tests without HTTP. */
export function inProcessRelayApi(s: BackendServices, relay = 'relay-under-test'): RelayApi {
  return {
    postRelayBatches: async (envelopes) => ({
      kind: 'results',
      results: await acceptRelayedBatches(relayDeps(s), relay, envelopes),
    }),
  };
}
