import { encodeAdvert } from '../../ble/advert-codec.js';
import { TokenManager, type TokenEvent } from '../../core/token-manager.js';
import type { TokenApi } from '../../ports/token-api.js';
import type { TokenStore } from '../../ports/token-store.js';
import type { SimRadio } from './sim-radio.js';

/**
 * A simulated phone for `--radio sim`: a device of its own at the backend (it signed in, its
 * tokens are server-issued), advertising its current token from a fresh address at every
 * rotation, as the bridge does. It does not scan or upload; the bridge's sightings of it become
 * contacts between the bridge's device and the peer's.
 */
export class SimPeer {
  private readonly tokens: TokenManager;

  constructor(
    readonly radio: SimRadio,
    api: TokenApi,
    options: { serviceUuid: number; store?: TokenStore; onEvent?: (event: TokenEvent) => void },
  ) {
    this.tokens = new TokenManager(api, {
      prefetch: 2,
      jitterMs: 2_000,
      store: options.store,
      onEvent: options.onEvent,
      onRotate: (w) => radio.advertise(encodeAdvert({ serviceUuid: options.serviceUuid, token: Buffer.from(w.token, 'base64url'), txPower: 0, counter: 0 }), { rotateAddress: true }),
      onNoToken: () => radio.stopAdvertising(),
    });
  }

  get advertising(): boolean {
    return this.tokens.current !== undefined;
  }

  async start(): Promise<void> {
    await this.radio.start();
    await this.tokens.start();
  }

  async stop(): Promise<void> {
    this.tokens.stop();
    await this.radio.close();
  }
}
