import type { Logger } from '../ports/logger.js';
import type { ConsoleOutput } from './console-output.js';
import { EXIT } from './exit-codes.js';

export interface Runnable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `node`, shows its status every `statusIntervalMs` (the kept line on a terminal, status
 * records otherwise) and stops it on SIGINT/SIGTERM. Resolves with the exit code.
 */
export async function runUntilSignal(
  node: Runnable,
  options: { output: ConsoleOutput; logger: Logger; statusIntervalMs: number; status: () => { line: string; fields: Record<string, unknown> }; cleanup: () => void | Promise<void> },
): Promise<number> {
  const { logger, output } = options;
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      clearInterval(statusTimer);
      logger.info('shutting down', { signal });
      await node.stop();
      await options.cleanup();
      output.close();
    })();
    return stopping;
  };
  const statusTimer =
    options.statusIntervalMs > 0
      ? setInterval(() => {
          const s = options.status();
          output.status(s.line, s.fields);
        }, options.statusIntervalMs)
      : undefined;
  const done = new Promise<number>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop(sig).then(() => resolve(EXIT.ok), () => resolve(EXIT.failed)));
  });
  try {
    await node.start();
  } catch (err) {
    logger.error('start failed', { error: err instanceof Error ? err.message : String(err) });
    await stop('start_failed').catch(() => {});
    return EXIT.failed;
  }
  return done;
}
