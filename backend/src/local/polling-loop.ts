import type { Logger } from '@aws-lambda-powertools/logger';

/**
 * Polls while `pollOnce` finds work and waits `idleDelayMs` when it does not, until stopped: the
 * part of Lambda's event source mappings that the local stack plays in-process.
 */
export class PollingLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly pollOnce: () => Promise<number>,
    private readonly idleDelayMs: number,
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the invocation under way, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.pollOnce();
      } catch (error) {
        this.logger.error(`${this.what} poll failed`, { error: error as Error });
      }
      if (handled === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.idleDelayMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
