import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { WriteLockTurns } from '../adapters/sqlite/write-lock-turns.js';
import type { BackendConfig } from '../config/backend-config.js';
import { resolveFormat } from '../composition/logger.js';
import type { BackgroundWork } from './embedded-consumers.js';

/** What the main thread hands the consumer thread. */
export interface ConsumerThreadData {
  env: Record<string, string>;
  turns: SharedArrayBuffer;
}

export type ConsumerThreadMessage = { type: 'ready' } | { type: 'stop' };

const ENTRY = new URL(`./consumer-thread-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
/** A thread that dies is started again after 0.5 s, 1 s, 2 s … at most 30 s; a minute up resets that. */
const FIRST_RESTART_MS = 500;
const MAX_RESTART_MS = 30_000;
const HEALTHY_AFTER_MS = 60_000;

/**
 * The embedded stack's consumers in a worker thread of their own: the contact queue's and the
 * tracing outbox's pollers and the retention purge, on the thread's own SQLite connection to the
 * same file. The queue in that file is what lies between the two threads, as SQS lies between
 * API Gateway's Lambdas and the consumer's in AWS: the HTTP thread answers 202 once a batch is
 * committed to it, the consumer thread takes it from there. So requests and consumption use the
 * machine's two cores, and a slow consumer invocation never delays an answer.
 *
 * A thread that fails is logged and started again (what it had received comes back after the
 * visibility timeout, as in SQS); stopping lets it finish the invocation under way.
 */
export function consumerThread(config: BackendConfig, logger: Logger, turns: WriteLockTurns): BackgroundWork {
  let worker: Worker | undefined;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let healthyTimer: NodeJS.Timeout | undefined;

  const spawn = () => {
    const data: ConsumerThreadData = { env: { ...config.sourceEnv, LOG_FORMAT: resolveFormat(config.logFormat) }, turns: turns.buffer };
    const { script, execArgv } = threadEntry(ENTRY);
    const thread = new Worker(script, { workerData: data, execArgv, name: 'proxitrace-consumer' });
    worker = thread;
    thread.on('message', (message: ConsumerThreadMessage) => {
      if (message.type !== 'ready') return;
      healthyTimer = setTimeout(() => (restarts = 0), HEALTHY_AFTER_MS);
      healthyTimer.unref();
    });
    thread.on('error', (error) => logger.error('consumer thread failed', { error }));
    thread.on('exit', (code) => {
      worker = undefined;
      clearTimeout(healthyTimer);
      if (stopping) return;
      const delayMs = Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** restarts++);
      logger.error('consumer thread stopped; starting it again', { exitCode: code, restartInMs: delayMs });
      restartTimer = setTimeout(spawn, delayMs);
    });
  };

  return {
    start: spawn,
    stop: async () => {
      stopping = true;
      clearTimeout(restartTimer);
      clearTimeout(healthyTimer);
      const thread = worker;
      if (!thread) return;
      const exited = once(thread, 'exit');
      thread.postMessage({ type: 'stop' } satisfies ConsumerThreadMessage);
      await exited;
    },
  };
}

/**
 * What the thread runs and with which flags. Built JavaScript runs as it is. The TypeScript
 * sources (npm start) need tsx, but on Node 20 a worker does not get the loader hooks that
 * `--import tsx` registers: the thread starts from a small module that registers tsx in the
 * thread itself and then imports the entry, and tsx's own flags are left out.
 */
function threadEntry(entry: URL): { script: URL; execArgv: string[] } {
  if (!entry.pathname.endsWith('.ts')) return { script: entry, execArgv: process.execArgv };
  const bootstrap = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(entry.href)});`;
  return { script: new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), execArgv: withoutTsxFlags(process.execArgv) };
}

function withoutTsxFlags(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const isTsx = (value: string | undefined) => value !== undefined && (value === 'tsx' || /[\\/]tsx[\\/]/.test(value));
    if ((arg === '--import' || arg === '--require' || arg === '--loader' || arg === '-r') && isTsx(args[i + 1])) {
      i++;
      continue;
    }
    const inline = /^--(?:import|require|loader)=(.*)$/.exec(arg);
    if (inline && isTsx(inline[1])) continue;
    kept.push(arg);
  }
  return kept;
}
