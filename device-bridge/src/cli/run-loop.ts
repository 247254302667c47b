import type { Logger } from '../ports/logger.js';

export interface Runnable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `node`, prints its status every `statusIntervalMs` (a refreshed line on a terminal, JSON
 * lines otherwise) and stops it on SIGINT/SIGTERM. Resolves with the exit code.
 */
export async function runUntilSignal(
  node: Runnable,
  options: { logger: Logger; statusIntervalMs: number; status: () => { line: string; fields: Record<string, unknown> }; cleanup: () => void },
): Promise<number> {
  const { logger } = options;
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      logger.info('shutting down', { signal });
      clearInterval(statusTimer);
      await node.stop();
      options.cleanup();
    })();
    return stopping;
  };
  const tty = process.stdout.isTTY === true;
  const statusTimer =
    options.statusIntervalMs > 0
      ? setInterval(() => {
          const s = options.status();
          if (tty) process.stdout.write(`\r\x1b[K${s.line}`);
          else process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg: 'status', ...s.fields })}\n`);
        }, options.statusIntervalMs)
      : undefined;
  const done = new Promise<number>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop(sig).then(() => resolve(0), () => resolve(1)));
  });
  try {
    await node.start();
  } catch (err) {
    logger.error('start failed', { error: (err as Error).message });
    await stop('start_failed').catch(() => {});
    return 1;
  }
  return done;
}
