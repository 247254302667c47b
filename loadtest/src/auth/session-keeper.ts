import type { SimulatedDevice } from '../population/simulated-device.js';
import type { CredentialSource } from './credentials.js';

/** Refresh this long before an access token expires. */
const MARGIN_MS = 5 * 60_000;
const CHECK_EVERY_MS = 10_000;

/**
 * Keeps the simulated devices signed in through a long run, as phones do: access tokens are
 * renewed with the refresh token before they expire, never by a new SMS sign-in. Closed-loop and
 * outside the measured load.
 */
export class SessionKeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  refreshed = 0;

  constructor(
    private readonly credentials: CredentialSource,
    private readonly devices: SimulatedDevice[],
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.credentials
        .refreshDue(this.devices, Date.now() + MARGIN_MS)
        .then((n) => void (this.refreshed += n))
        .catch((error: unknown) => this.log(`session refresh failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.refreshed > 0) this.log(`sessions refreshed during the run: ${this.refreshed}`);
  }
}
