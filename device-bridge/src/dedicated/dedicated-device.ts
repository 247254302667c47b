import { ADVERT_FLAG_RELAY_PENDING, Bridge, type BridgeOptions, type BridgeStats } from '../core/bridge.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { silentLogger } from '../ports/logger.js';
import type { Radio } from '../ports/radio.js';
import type { DroppedCounts, RelayBatchStore } from '../ports/relay-batch-store.js';
import type { BatchSealer } from './batch-sealer.js';
import { BundleTokenApi } from './bundle-token-api.js';
import type { DeviceCredentials } from './device-credentials.js';
import { RelayGattServer, type RelayServerEvent } from './relay-gatt-server.js';

export interface DedicatedDeviceDeps {
  radio: Radio;
  store: RelayBatchStore;
  sealer: BatchSealer;
  credentials: DeviceCredentials;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
}

export interface DedicatedDeviceStats extends BridgeStats {
  held: number;
  heldBytes: number;
  dropped: DroppedCounts;
  relay: { connections: number; handedOver: number; acknowledged: number; freed: number; ackRefused: number };
  bundleRemainingMs: number;
}

/** Warn this long before the bundle runs out: the owner must re-provision. */
export const BUNDLE_WARNING_MS = 24 * 3_600_000;

/**
 * The dedicated low-power device, as its firmware behaves: it advertises its bundle's tokens and
 * scans like a bridge (the same core: decode → cache → batch by 50 / flush timer), but it has no
 * network. Batches are signed, chained and held in its bounded store; while it holds any, its
 * advertisement sets the relay flag and is connectable, and a relay that connects is served the
 * relay GATT service. An acknowledgement signed by the backend frees batches; nothing else does.
 */
export class DedicatedDevice {
  readonly bridge: Bridge;
  readonly gatt: RelayGattServer;
  private readonly tokenApi: BundleTokenApi;
  private readonly log: Logger;
  private connectedCentral: string | undefined;
  private bundleWarned = false;
  private readonly counters = { connections: 0, handedOver: 0, acknowledged: 0, freed: 0, ackRefused: 0 };

  constructor(
    private readonly deps: DedicatedDeviceDeps,
    options: Partial<BridgeOptions> = {},
  ) {
    const clock = deps.clock ?? systemClock;
    this.log = deps.logger ?? silentLogger;
    this.tokenApi = new BundleTokenApi(() => deps.credentials.tokens, clock);
    this.bridge = new Bridge(
      {
        radio: deps.radio,
        outbox: deps.store,
        tokenApi: this.tokenApi,
        clock,
        random: deps.random,
        logger: this.log,
        advertState: () => {
          const pending = deps.store.heldCount() > 0;
          return { flags: pending ? ADVERT_FLAG_RELAY_PENDING : 0, connectable: pending };
        },
        onSealed: () => this.refreshAdvertisement(),
      },
      options,
    );
    this.gatt = new RelayGattServer(deps.store, deps.sealer, (e) => this.onRelayEvent(e));
  }

  async start(): Promise<void> {
    const peripheral = this.deps.radio.gattPeripheral?.();
    if (peripheral) {
      await peripheral.serve(this.gatt.service());
      peripheral.onEvent((e) => {
        if (e.type === 'connected') {
          this.connectedCentral = e.central;
          this.counters.connections++;
          this.gatt.reset();
          this.log.info('relay connected', { central: e.central });
        } else if (e.type === 'disconnected') {
          this.connectedCentral = undefined;
          this.gatt.reset();
          this.log.info('relay disconnected', { held: this.deps.store.heldCount() });
          this.refreshAdvertisement();
        } else this.log.debug('relay mtu', { mtu: e.mtu });
      });
    } else this.log.warn('this radio has no GATT server: batches are held but no relay can collect them', { radio: this.deps.radio.kind });
    await this.bridge.start();
  }

  stop(): Promise<void> {
    return this.bridge.stop();
  }

  /** Also the periodic check: warns once when the bundle is about to run out. */
  stats(): DedicatedDeviceStats {
    const bundleRemainingMs = this.tokenApi.remainingMs();
    if (bundleRemainingMs < BUNDLE_WARNING_MS && !this.bundleWarned) {
      this.bundleWarned = true;
      this.log.warn('token bundle runs out soon: provision the device again', { remainingHours: Math.floor(bundleRemainingMs / 3_600_000) });
    }
    return {
      ...this.bridge.stats(),
      held: this.deps.store.heldCount(),
      heldBytes: this.deps.store.heldBytes(),
      dropped: this.deps.store.dropped(),
      relay: { ...this.counters },
      bundleRemainingMs,
    };
  }

  private refreshAdvertisement(): void {
    // While a relay is connected the controller does not advertise; the advertisement is brought up to date when it leaves.
    if (this.connectedCentral !== undefined) return;
    this.bridge.refreshAdvertisement().catch((error: unknown) => this.log.error('advertisement update failed', { error: String(error) }));
  }

  private onRelayEvent(e: RelayServerEvent): void {
    if (e.type === 'handed_over') {
      this.counters.handedOver++;
      this.log.debug('batch handed over', e);
    } else if (e.type === 'acknowledged') {
      this.counters.acknowledged++;
      this.counters.freed += e.freed;
      this.log.info('batches acknowledged by the backend', e);
    } else {
      this.counters.ackRefused++;
      this.log.warn('acknowledgement refused', e);
    }
  }
}
