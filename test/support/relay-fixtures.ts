import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { issueTokens } from '../../backend/src/application/issue-tokens.js';
import { acceptRelayedBatches } from '../../backend/src/application/relay/accept-relayed-batches.js';
import { registerDedicatedDevice } from '../../backend/src/application/relay/register-dedicated-device.js';
import type { BackendServices } from '../../backend/src/composition/backend-services.js';
import { bundleDeps, relayDeps } from '../../backend/src/composition/relay-services.js';
import { rawPrivateKey, rawPublicKey } from '../../backend/src/domain/relay/relay-signatures.js';
import type { DeviceCredentials } from '../../device-bridge/src/dedicated/device-credentials.js';
import type { WireObservation } from '../../device-bridge/src/ports/outbox-store.js';
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

/**
 * What a dedicated device hears: `count` phones nearby, each advertising the token the backend
 * issued it for the current window, seen for the last few minutes. Relayed observations pass the
 * same door checks as a phone's upload, so they must be tokens the backend knows, in their window.
 */
export async function heardObservations(s: BackendServices, count: number): Promise<WireObservation[]> {
  const now = s.clock().getTime();
  const deps = { cipher: s.cipher, registry: s.tokenRegistry, clock: s.clock, tokenTtlMinutes: s.config.tokenTtlMinutes };
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const phone = await s.devices.ensureDevice(`heard-phone-${randomUUID()}`, s.clock());
      const [token] = await issueTokens(deps, phone, 1);
      const firstSeen = Math.max(token!.validFrom.getTime(), now - 6 * 60_000);
      return { token: token!.token, firstSeen: new Date(firstSeen).toISOString(), lastSeen: new Date(Math.max(firstSeen, now - 60_000 + i)).toISOString(), rssi: -60 };
    }),
  );
}
