import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { TokenApi, TokenWindow } from '../ports/token-api.js';
import type { TokenStore } from '../ports/token-store.js';
import { backoffDelay, type BackoffOptions } from '../upload/backoff.js';

export type TokenEvent =
  | { type: 'rotated'; window: TokenWindow }
  | { type: 'no_token' }
  | { type: 'fetched'; windows: number }
  | { type: 'restored'; windows: number; until: number }
  | { type: 'fetch_failed'; attempt: number; retryInMs: number; reason: string; error: unknown };

export interface TokenManagerOptions {
  /** How many windows to ask for (current + following), 1..8. */
  prefetch?: number;
  /** Rotation happens at the window boundary plus a random delay in [0, jitterMs). */
  jitterMs?: number;
  clock?: Clock;
  random?: () => number;
  retryBackoff?: BackoffOptions;
  /** Keeps the confirmed windows across restarts (default: none, memory only). */
  store?: TokenStore;
  /** Called with the window to advertise now; the manager waits for it before scheduling on. */
  onRotate: (window: TokenWindow) => Promise<void>;
  /** Called when no confirmed token is valid now: the radio must stop advertising. */
  onNoToken: () => Promise<void>;
  onEvent?: (event: TokenEvent) => void;
}

/**
 * Holds server-confirmed token windows (never invents one), prefetches the following windows so an
 * outage of up to prefetch-1 windows goes unnoticed, and rotates at each boundary with jitter.
 * With a store, the confirmed windows survive a restart: a bridge restarted while the backend is
 * down advertises the windows it already had.
 */
export class TokenManager {
  private windows: TokenWindow[] = [];
  private advertised: TokenWindow | undefined;
  private rotateTimer: NodeJS.Timeout | undefined;
  private fetchTimer: NodeJS.Timeout | undefined;
  private fetchFailures = 0;
  private fetching: Promise<void> | undefined;
  private running = false;
  private noTokenReported = false;
  private readonly prefetch: number;
  private readonly jitterMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly retryBackoff: BackoffOptions;

  constructor(
    private readonly api: TokenApi,
    private readonly options: TokenManagerOptions,
  ) {
    this.prefetch = options.prefetch ?? 3;
    if (!Number.isInteger(this.prefetch) || this.prefetch < 1 || this.prefetch > 8) throw new RangeError('prefetch must be 1..8');
    this.jitterMs = options.jitterMs ?? 5_000;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.retryBackoff = options.retryBackoff ?? { baseMs: 2_000, maxMs: 60_000 };
  }

  /** The window advertised right now, if any. */
  get current(): TokenWindow | undefined {
    return this.advertised;
  }

  /** Confirmed windows not yet over. */
  get known(): readonly TokenWindow[] {
    return this.windows;
  }

  async start(): Promise<void> {
    this.running = true;
    const now = this.clock.now();
    const stored = this.options.store?.load().filter((w) => w.validUntil > now && w.validUntil > w.validFrom) ?? [];
    if (stored.length > 0) {
      this.merge(stored, false);
      this.options.onEvent?.({ type: 'restored', windows: this.windows.length, until: this.windows.at(-1)!.validUntil });
    }
    await this.refresh();
    await this.rotateIfNeeded();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.rotateTimer);
    clearTimeout(this.fetchTimer);
  }

  /** Fetches windows; on failure schedules a retry with backoff. Concurrent calls share one fetch. */
  refresh(): Promise<void> {
    this.fetching ??= this.doRefresh().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async doRefresh(): Promise<void> {
    clearTimeout(this.fetchTimer);
    this.fetchTimer = undefined;
    try {
      const fetched = await this.api.fetchTokens(this.prefetch);
      // An empty answer is a failure too: retrying at once would spin without end.
      if (fetched.length === 0) throw new Error('no token windows returned');
      this.merge(fetched);
      this.fetchFailures = 0;
      this.options.onEvent?.({ type: 'fetched', windows: fetched.length });
    } catch (err) {
      this.fetchFailures++;
      const retryInMs = backoffDelay(this.fetchFailures, this.random, this.retryBackoff);
      this.options.onEvent?.({ type: 'fetch_failed', attempt: this.fetchFailures, retryInMs, reason: (err as Error).message ?? String(err), error: err });
      if (this.running) {
        this.fetchTimer = setTimeout(() => {
          void this.refresh().then(() => this.rotateIfNeeded());
        }, retryInMs);
      }
    }
  }

  private merge(fetched: readonly TokenWindow[], persist = true): void {
    const now = this.clock.now();
    const byStart = new Map(this.windows.map((w) => [w.validFrom, w]));
    for (const w of fetched) if (w.validUntil > w.validFrom) byStart.set(w.validFrom, w);
    this.windows = [...byStart.values()].filter((w) => w.validUntil > now).sort((a, b) => a.validFrom - b.validFrom);
    if (persist) this.options.store?.save(this.windows);
  }

  private windowAt(t: number): TokenWindow | undefined {
    return this.windows.find((w) => w.validFrom <= t && t < w.validUntil);
  }

  /** Advertises the window valid now (if it changed) and schedules the next rotation. */
  async rotateIfNeeded(): Promise<void> {
    if (!this.running) return;
    clearTimeout(this.rotateTimer);
    const now = this.clock.now();
    this.windows = this.windows.filter((w) => w.validUntil > now);
    const window = this.windowAt(now);
    if (window === undefined) {
      if (this.advertised !== undefined || !this.noTokenReported) {
        this.advertised = undefined;
        this.noTokenReported = true;
        this.options.onEvent?.({ type: 'no_token' });
        await this.options.onNoToken();
      }
      const next = this.windows[0];
      // A future window is known: wake at its start. Otherwise the fetch retry loop calls us back.
      if (next !== undefined) this.scheduleRotation(next.validFrom - now);
      else if (this.fetching === undefined && this.fetchTimer === undefined) void this.refresh().then(() => this.rotateIfNeeded());
      return;
    }
    if (this.advertised?.token !== window.token) {
      this.advertised = window;
      this.noTokenReported = false;
      await this.options.onRotate(window);
      this.options.onEvent?.({ type: 'rotated', window });
      // Keep `prefetch` windows ahead: ask again after each rotation (the server returns the same
      // tokens for windows it already gave us).
      if (this.windows.filter((w) => w.validFrom > now).length < this.prefetch - 1) void this.refresh();
    }
    this.scheduleRotation(window.validUntil - now + Math.floor(this.random() * this.jitterMs));
  }

  private scheduleRotation(delayMs: number): void {
    if (!this.running) return;
    this.rotateTimer = setTimeout(() => void this.rotateIfNeeded(), Math.min(Math.max(0, delayMs), 2 ** 31 - 1));
  }
}
