import type { Clock } from '../ports/clock.js';
import type { TokenApi, TokenWindow } from '../ports/token-api.js';

export class BundleExhaustedError extends Error {
  constructor(lastUntil: number | undefined) {
    super(lastUntil === undefined ? 'the token bundle is empty' : `the token bundle ran out at ${new Date(lastUntil).toISOString()}; provision the device again`);
    this.name = 'BundleExhaustedError';
  }
}

/**
 * The dedicated device's token source: the bundle it was provisioned with, no network. Windows
 * are served in order; once the last one has ended it fails, the token manager stops advertising
 * (it never invents a token) and retries with backoff, so a renewed bundle is picked up.
 */
export class BundleTokenApi implements TokenApi {
  constructor(
    private readonly bundle: () => readonly TokenWindow[],
    private readonly clock: Clock,
  ) {}

  async fetchTokens(count: number): Promise<TokenWindow[]> {
    const now = this.clock.now();
    const live = this.bundle().filter((w) => w.validUntil > now);
    if (live.length === 0) throw new BundleExhaustedError(this.bundle().at(-1)?.validUntil);
    return live.slice(0, Math.max(count, 1) + 1);
  }

  /** How long the bundle still lasts, for the status line and the warning before it runs out. */
  remainingMs(): number {
    return Math.max(0, (this.bundle().at(-1)?.validUntil ?? 0) - this.clock.now());
  }
}
