import { generateKeyPairSync } from 'node:crypto';
import { rawPrivateKey, rawPublicKey } from '../../../backend/src/domain/relay/relay-signatures.js';
import { BatchSealer } from '../../../device-bridge/src/dedicated/batch-sealer.js';
import { DedicatedDevice } from '../../../device-bridge/src/dedicated/dedicated-device.js';
import type { DeviceCredentials } from '../../../device-bridge/src/dedicated/device-credentials.js';
import type { SimRadio } from '../../../device-bridge/src/radio/sim/sim-radio.js';
import { SqliteRelayBatchStore } from '../../../device-bridge/src/store/sqlite-relay-batch-store.js';
import type { Person } from '../town/town-model.js';
import { stepBridge, TOWN_BRIDGE_OPTIONS } from './device-driver.js';
import type { Phone } from './phone.js';

interface Provisioned {
  deviceId: string;
  tokens: { token: string; validFrom: string; validUntil: string }[];
  backend: { batchKeyId: number; batchPublicKey: string; ackPublicKey: string };
}

/**
 * A person who carries a dedicated BLE-only device instead of a phone: provisioned once through a
 * household member's phone (the owner proves their number with an SMS code), then the device model
 * of device-bridge/src/dedicated on the simulated air: it advertises its bundle's tokens, scans,
 * holds signed batches, and any phone in range relays them.
 */
export class DedicatedCarrier {
  readonly device: DedicatedDevice;
  private readonly store: SqliteRelayBatchStore;

  private constructor(
    readonly person: Person,
    readonly credentials: DeviceCredentials,
    radio: SimRadio,
    now: () => number,
    random: () => number,
  ) {
    const sealer = new BatchSealer(credentials);
    this.store = new SqliteRelayBatchStore(':memory:', { sealer });
    this.device = new DedicatedDevice({ radio, store: this.store, sealer, credentials, clock: { now }, random }, TOWN_BRIDGE_OPTIONS);
  }

  /** Provisioning through `via`: the owner's SMS code, then the registration and its token bundle. */
  static async provision(person: Person, via: Phone, radio: SimRadio, now: () => number, random: () => number): Promise<DedicatedCarrier> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const verification = await via.post<{ verificationId: string; devCode?: string }>('/v1/dedicated-devices/owner-verification', { phoneNumber: person.phoneNumber });
    if (!verification.devCode) throw new Error('the demo backend must echo SMS codes (DEV_SMS_ECHO=1)');
    const body = { publicKey: rawPublicKey(publicKey).toString('base64url'), owner: { verificationId: verification.verificationId, code: verification.devCode } };
    const provisioned = await via.post<Provisioned>('/v1/dedicated-devices', body);
    const credentials: DeviceCredentials = {
      deviceId: provisioned.deviceId,
      signingKey: rawPrivateKey(privateKey),
      publicKey: rawPublicKey(publicKey),
      tokens: provisioned.tokens.map((t) => ({ token: t.token, validFrom: Date.parse(t.validFrom), validUntil: Date.parse(t.validUntil) })),
      backend: {
        batchKeyId: provisioned.backend.batchKeyId,
        batchPublicKey: Buffer.from(provisioned.backend.batchPublicKey, 'base64url'),
        ackPublicKey: Buffer.from(provisioned.backend.ackPublicKey, 'base64url'),
      },
      provisionedAt: now(),
    };
    return new DedicatedCarrier(person, credentials, radio, now, random);
  }

  /** The directory subject of the device (its tokens and contacts are its own). */
  get subject(): string {
    return `dedicated:${this.credentials.deviceId}`;
  }

  start(): Promise<void> {
    return this.device.start();
  }

  step(now: number): Promise<void> {
    return stepBridge(this.device.bridge, now);
  }

  /** Closing time: what is still open is batched and held for a relay (the device keeps running). */
  flush(now: number): void {
    this.device.bridge.cache.finishAll();
    this.device.bridge.batcher.flushAll(now);
    void this.device.bridge.refreshAdvertisement();
  }

  async stop(): Promise<void> {
    await this.device.stop();
    this.store.close();
  }
}
