import { forEachLimited } from '../run/for-each-limited.js';
import type { CredentialSource } from './credentials.js';
import type { Session } from './session.js';

export interface SessionKeeperOptions {
  /** Refresh an access token once less than this remains of it (or half its lifetime, if that is shorter). */
  aheadMs: number;
  /** Epoch milliseconds: access tokens expire in wall-clock time. */
  now?: () => number;
  concurrency?: number;
  /** After a failed refresh, wait this long before trying that session again. */
  retryMs?: number;
  /** Waits between checks (default a real timer); tests pass one that moves their wall clock instead. */
  pause?: (ms: number) => Promise<void>;
}

export interface SessionStats {
  refreshed: number;
  refreshFailures: number;
  /** The last failure's message, for the report. */
  lastFailure?: string;
}

/** Renews access tokens before they expire, in the background of a run. Not part of the measured load. */
export class SessionKeeper {
  readonly stats: SessionStats = { refreshed: 0, refreshFailures: 0 };
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly now: () => number;

  constructor(
    private readonly source: CredentialSource,
    private readonly sessions: () => readonly Session[],
    private readonly options: SessionKeeperOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Sessions whose access token expires soon and that are not waiting to retry a failed refresh. */
  due(): Session[] {
    const now = this.now();
    return this.sessions().filter((s) => {
      if (s.expiresAtMs === undefined || s.retryRefreshAtMs > now) return false;
      const ahead = Math.min(this.options.aheadMs, (s.lifetimeMs ?? Infinity) / 2);
      return s.expiresAtMs - now <= ahead;
    });
  }

  async refreshDue(): Promise<void> {
    await forEachLimited(this.due(), this.options.concurrency ?? 8, async (session) => {
      try {
        await this.source.refresh(session);
        this.stats.refreshed++;
      } catch (error) {
        this.stats.refreshFailures++;
        this.stats.lastFailure = (error as Error).message;
        session.retryRefreshAtMs = this.now() + (this.options.retryMs ?? 30_000);
      }
    });
  }

  start(intervalMs: number): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.refreshDue();
        await new Promise<void>((resolve) => {
          const timer = this.options.pause ? undefined : setTimeout(resolve, intervalMs);
          this.options.pause?.(intervalMs).then(resolve, resolve);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}
