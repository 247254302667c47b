import { randomInt } from 'node:crypto';
import { DEFAULT_SERVICE_UUID } from '../ble/advert-layout.js';
import { DecodeStatus, decodeAdvertInto, encodeAdvert, newDecodedAdvert } from '../ble/advert-codec.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { silentLogger } from '../ports/logger.js';
import type { CheckpointEntry, OutboxCounts, OutboxStore } from '../ports/outbox-store.js';
import type { Radio } from '../ports/radio.js';
import type { ContactsApi, TokenApi, TokenWindow } from '../ports/token-api.js';
import { Uploader } from '../upload/uploader.js';
import { Batcher, DEFAULT_FLUSH_MAX_AGE_MS, type BatchSink } from './batcher.js';
import { ObservationCache, toWire, tokenToKey, type Observation, type ObservationCacheOptions } from './observation-cache.js';
import { TokenManager, type TokenEvent } from './token-manager.js';
import type { TokenStore } from '../ports/token-store.js';
import type { UploadEvent } from '../upload/uploader.js';
import { formatDuration } from '../../../backend/src/config/duration-format.js';

export interface BridgeOptions {
  serviceUuid: number;
  txPower: number;
  flushMaxAgeMs: number;
  cache: Partial<ObservationCacheOptions>;
  /** How often idle observations are finished and the partial batch checked. */
  sweepIntervalMs: number;
  /** How often open observations are checkpointed to the outbox (bounds loss on power cut). */
  checkpointIntervalMs: number;
  /** Scanning is restarted when no report arrived for this long. */
  scanWatchdogMs: number;
  prefetch: number;
  rotationJitterMs: number;
  /** Time allowed on shutdown to upload what is left before it stays on disk for next start. */
  shutdownUploadMs: number;
}

export const DEFAULT_BRIDGE_OPTIONS: BridgeOptions = {
  serviceUuid: DEFAULT_SERVICE_UUID,
  txPower: 0,
  flushMaxAgeMs: DEFAULT_FLUSH_MAX_AGE_MS,
  cache: {},
  sweepIntervalMs: 5_000,
  checkpointIntervalMs: 30_000,
  scanWatchdogMs: 60_000,
  prefetch: 3,
  rotationJitterMs: 5_000,
  shutdownUploadMs: 5_000,
};

/** Where finished observations go when nothing uploads them here (a dedicated device's relay store). */
export interface BridgeStore extends BatchSink {
  saveCheckpoint(entries: readonly CheckpointEntry[]): void;
  loadCheckpoint(): CheckpointEntry[];
}

/** What the advertisement says beyond the token: the flags nibble, and whether centrals may connect. */
export interface AdvertState {
  flags: number;
  connectable: boolean;
}

interface CommonDeps {
  radio: Radio;
  tokenApi: TokenApi;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  /** Called for every report of ours whose flags announce a relay-capable device with batches pending. */
  onRelayAdvert?: (address: string, rssi: number) => void;
  /** The advertisement's flags and connectability (default: none, non-connectable). */
  advertState?: () => AdvertState;
  /** A batch was sealed into the store. */
  onSealed?: () => void;
  /** Keeps the confirmed token windows across restarts. */
  tokenStore?: TokenStore;
}

/** A bridge uploads its own batches; a dedicated device has no network and only stores them. */
export type BridgeDeps = CommonDeps & ({ outbox: OutboxStore; contactsApi: ContactsApi } | { outbox: BridgeStore; contactsApi?: undefined });

/** What each drop reason of POST /v1/contacts tells a bridge's operator. */
const DROP_MEANING: Record<string, string> = {
  unknown_token: 'tokens no backend key verifies: another app, a forged or a broken advertiser nearby',
  outside_window: "seen outside their token's window: check this bridge's clock",
  too_old: "older than the backend's lookback: the bridge held them too long",
  self_contact: "a device's own token",
};

function dropReasons(dropped: Readonly<Record<string, number>>): string {
  return Object.keys(dropped)
    .map((reason) => `${reason}: ${DROP_MEANING[reason] ?? 'see the backend\'s API description'}`)
    .join('; ');
}

/** Flag bit in the version/flags byte: a dedicated device holding batches for a relay (README, advertisement). */
export const ADVERT_FLAG_RELAY_PENDING = 0x1;

export interface BridgeStats {
  reports: number;
  sightings: number;
  foreign: number;
  malformed: number;
  unsupportedVersion: number;
  ownEchoes: number;
  cached: number;
  finished: number;
  outbox: OutboxCounts;
  tokens: number;
  currentToken: string | undefined;
  currentTokenUntil: number | undefined;
  address: string | undefined;
  rotations: number;
  scanRestarts: number;
  lastUploadAt: number | undefined;
  lastUploadError: string | undefined;
  /** Observations in accepted batches that the backend did not keep, by reason, since start. */
  droppedByBackend: Readonly<Record<string, number>>;
}

/**
 * Orchestrates one device: advertises the current confirmed token, turns scan reports into
 * observations (decode → cache), finished observations into batches (outbox) and batches into
 * uploads. Depends only on ports.
 */
export class Bridge {
  readonly options: BridgeOptions;
  readonly cache: ObservationCache;
  readonly batcher: Batcher;
  readonly uploader: Uploader | undefined;
  readonly tokens: TokenManager;
  private readonly radio: Radio;
  private readonly outbox: BridgeStore;
  private readonly deps: CommonDeps;
  private advertised: AdvertState | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly decoded = newDecodedAdvert();
  private readonly serviceUuid: number;
  /** Our own recent token keys, so a radio that hears itself never reports us as a contact. */
  private readonly ownKeys: string[] = [];
  private counter = 0;
  private unsubscribe: (() => void) | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private advertiseRetry: NodeJS.Timeout | undefined;
  private lastReportAt = 0;
  private scanning = false;
  private readonly counters = { reports: 0, sightings: 0, foreign: 0, malformed: 0, unsupportedVersion: 0, ownEchoes: 0, finished: 0, rotations: 0, scanRestarts: 0 };

  constructor(deps: BridgeDeps, options: Partial<BridgeOptions> = {}) {
    this.options = { ...DEFAULT_BRIDGE_OPTIONS, ...options };
    this.serviceUuid = this.options.serviceUuid;
    this.radio = deps.radio;
    this.outbox = deps.outbox;
    this.deps = deps;
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger ?? silentLogger;
    this.cache = new ObservationCache((finished) => this.onFinished(finished), this.options.cache);
    this.uploader =
      deps.contactsApi === undefined
        ? undefined
        : new Uploader(deps.outbox as OutboxStore, deps.contactsApi, {
            clock: this.clock,
            random: deps.random,
            onEvent: (e) => this.logUploadEvent(e),
          });
    this.batcher = new Batcher(deps.outbox, {
      flushMaxAgeMs: this.options.flushMaxAgeMs,
      onSealed: (b) => {
        this.log.debug('batch sealed', { batchId: b.batchId, observations: b.observations.length });
        deps.onSealed?.();
      },
    });
    this.tokens = new TokenManager(deps.tokenApi, {
      prefetch: this.options.prefetch,
      jitterMs: this.options.rotationJitterMs,
      clock: this.clock,
      random: deps.random,
      onRotate: (w) => this.advertiseWindow(w),
      onNoToken: () => this.stopAdvertising(),
      onEvent: (e) => this.logTokenEvent(e),
      store: deps.tokenStore,
    });
  }

  /** Hot path: one advertisement report from the radio. */
  readonly handleReport = (data: Uint8Array, rssi: number, address?: string): void => {
    this.counters.reports++;
    const status = decodeAdvertInto(data, this.serviceUuid, this.decoded);
    if (status === DecodeStatus.Ok) {
      const now = this.clock.now();
      this.lastReportAt = now;
      this.counters.sightings++;
      this.cache.sight(data, this.decoded.tokenOffset, rssi, now);
      if (this.decoded.flags & ADVERT_FLAG_RELAY_PENDING && address !== undefined) this.deps.onRelayAdvert?.(address, rssi);
    } else if (status === DecodeStatus.Foreign) {
      this.lastReportAt = this.clock.now();
      this.counters.foreign++;
    } else if (status === DecodeStatus.Malformed) this.counters.malformed++;
    else this.counters.unsupportedVersion++;
  };

  async start(): Promise<void> {
    const restored = this.outbox.loadCheckpoint();
    this.cache.restore(restored);
    if (restored.length > 0) this.log.info('restored open observations', { count: restored.length });
    this.sweep();
    this.unsubscribe = this.radio.onReport(this.handleReport);
    await this.radio.start();
    await this.radio.startScan();
    this.scanning = true;
    this.lastReportAt = this.clock.now();
    this.uploader?.start();
    await this.tokens.start();
    this.sweepTimer = setInterval(() => this.sweep(), this.options.sweepIntervalMs);
    this.checkpointTimer = setInterval(() => this.checkpoint(), this.options.checkpointIntervalMs);
    this.log.info('bridge started', { radio: this.radio.kind, serviceUuid: `0x${this.serviceUuid.toString(16)}` });
  }

  /** Graceful shutdown: everything open is finished, batched and written; uploads get a short grace. */
  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    clearInterval(this.checkpointTimer);
    clearTimeout(this.advertiseRetry);
    this.tokens.stop();
    this.unsubscribe?.();
    this.scanning = false;
    await this.radio.stopScan().catch(() => {});
    await this.radio.stopAdvertising().catch(() => {});
    const now = this.clock.now();
    this.cache.finishAll();
    this.batcher.flushAll(now);
    this.outbox.saveCheckpoint([]);
    if (this.uploader) {
      await this.uploader.stop();
      await withTimeout(this.uploader.drain(true), this.options.shutdownUploadMs);
    }
    await this.radio.close().catch(() => {});
    this.log.info('bridge stopped', { outbox: this.outbox.counts() });
  }

  stats(): BridgeStats {
    const current = this.tokens.current;
    return {
      ...this.counters,
      cached: this.cache.size,
      outbox: this.outbox.counts(),
      tokens: this.tokens.known.length,
      currentToken: current?.token,
      currentTokenUntil: current?.validUntil,
      address: this.radio.advertisingAddress(),
      lastUploadAt: this.uploader?.lastUploadAt,
      lastUploadError: this.uploader?.lastError,
      droppedByBackend: { ...this.uploader?.dropped },
    };
  }

  /** Finishes idle observations, seals a due partial batch, and watches the scanner. */
  sweep(): void {
    const now = this.clock.now();
    this.cache.sweep(now);
    if (this.batcher.tick(now).length > 0) this.uploader?.wake();
    if (this.scanning && now - this.lastReportAt >= this.options.scanWatchdogMs) void this.restartScan(now);
  }

  checkpoint(): void {
    this.outbox.saveCheckpoint(this.cache.checkpoint());
  }

  private onFinished(finished: Observation[]): void {
    const now = this.clock.now();
    const wire = [];
    for (const o of finished) {
      if (this.ownKeys.includes(o.key)) this.counters.ownEchoes++;
      else wire.push(toWire(o));
    }
    this.counters.finished += wire.length;
    if (this.batcher.add(wire, now).length > 0) this.uploader?.wake();
  }

  private async restartScan(now: number): Promise<void> {
    this.lastReportAt = now;
    this.counters.scanRestarts++;
    this.log.warn('scan watchdog: no reports, restarting scan', { silentMs: this.options.scanWatchdogMs });
    try {
      await this.radio.stopScan();
      await this.radio.startScan();
    } catch (err) {
      this.log.error('scan restart failed', { error: errorText(err) });
    }
  }

  /**
   * Re-advertises the current token (same address) when the flags or connectability changed,
   * e.g. a dedicated device that now holds batches, or none any more.
   */
  async refreshAdvertisement(): Promise<void> {
    const window = this.tokens.current;
    const wanted = this.deps.advertState?.();
    if (window === undefined || wanted === undefined || this.advertised === undefined) return;
    if (wanted.flags === this.advertised.flags && wanted.connectable === this.advertised.connectable) return;
    await this.advertiseWindow(window, false);
  }

  private async advertiseWindow(window: TokenWindow, rotateAddress = true): Promise<void> {
    clearTimeout(this.advertiseRetry);
    const token = Buffer.from(window.token, 'base64url');
    const key = tokenToKey(window.token);
    if (key !== undefined && !this.ownKeys.includes(key)) this.ownKeys.push(key);
    if (this.ownKeys.length > 8) this.ownKeys.shift();
    if (rotateAddress) this.counter = randomInt(0x10000);
    const state = this.deps.advertState?.() ?? { flags: 0, connectable: false };
    const payload = encodeAdvert({ serviceUuid: this.serviceUuid, token, txPower: this.options.txPower, counter: this.counter, flags: state.flags });
    try {
      await this.radio.advertise(payload, { rotateAddress, connectable: state.connectable });
      this.advertised = state;
      if (rotateAddress) this.counters.rotations++;
      this.log.info(rotateAddress ? 'advertising a new token' : 'advertisement updated', { validUntil: new Date(window.validUntil).toISOString(), address: this.radio.advertisingAddress() });
    } catch (err) {
      this.log.error('advertising failed, retrying in 5 s', { error: errorText(err) });
      this.advertiseRetry = setTimeout(() => {
        // Only while this window is still the one to advertise (never a stale token).
        if (this.tokens.current?.token === window.token && this.clock.now() < window.validUntil) void this.advertiseWindow(window, rotateAddress);
      }, 5_000);
    }
  }

  private async stopAdvertising(): Promise<void> {
    clearTimeout(this.advertiseRetry);
    await this.radio.stopAdvertising().catch((err: unknown) => this.log.error('stop advertising failed', { error: errorText(err) }));
  }

  private logUploadEvent(e: UploadEvent): void {
    if (e.type === 'uploaded') {
      this.log.info('batch uploaded', { batchId: e.batchId, observations: e.observations, attempts: e.attempts, ...(e.clipped > 0 ? { clipped: e.clipped } : {}) });
      const dropped = Object.values(e.dropped).reduce((a, n) => a + n, 0);
      if (dropped > 0) this.log.warn(`the backend dropped ${dropped} of ${e.observations} observations`, { batchId: e.batchId, dropped: e.dropped, why: dropReasons(e.dropped) });
    } else if (e.type === 'retry_scheduled') this.log.warn(`upload failed, retrying in ${formatDuration(Math.round(e.delayMs / 100) * 100)}`, { batchId: e.batchId, attempts: e.attempts, reason: e.reason });
    else this.log.error('batch refused by the backend: kept as a dead letter, not retried', { batchId: e.batchId, reason: e.reason });
  }

  private logTokenEvent(e: TokenEvent): void {
    switch (e.type) {
      case 'rotated':
        return;
      case 'fetched':
        this.log.debug('token windows fetched', { windows: e.windows });
        return;
      case 'restored':
        this.log.info('token windows kept from the last run', { windows: e.windows, until: new Date(e.until).toISOString() });
        return;
      case 'no_token':
        this.log.warn('no valid token: not advertising until the backend confirms one', { known: this.tokens.known.length });
        return;
      case 'fetch_failed': {
        const fields = { attempt: e.attempt, retryIn: formatDuration(Math.round(e.retryInMs / 100) * 100), reason: e.reason };
        // The adapters' errors carry a stable code (upload/errors.ts); the core reads only that.
        const { code, status } = (e.error ?? {}) as { code?: unknown; status?: unknown };
        if (code === 'sign_in_required') this.log.error('not signed in: tokens cannot be renewed', fields);
        else if (code === 'network_error') this.log.warn('backend unreachable: tokens not renewed', fields);
        else if (status === 401 || status === 403) this.log.error('sign-in failed: the backend refused the session', fields);
        else this.log.warn('tokens not renewed', fields);
      }
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
