import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { SharedClock } from '../time/shared-clock.js';
import type { BackendThreadData, FromThread, InspectorCalls, ToThread } from './thread-protocol.js';

/** Log lines of the backend by level, as its JSON lines say (ERROR counts as an error the demo shows). */
export interface BackendLogCounts {
  error: number;
  warn: number;
  lines: number;
}

export interface BackendHandle {
  url: string;
  inspect: InspectorCalls;
  logs: BackendLogCounts;
  /** Last few ERROR lines, for the summary. */
  lastErrors: string[];
  stop(): Promise<void>;
}

export interface BackendStartOptions {
  env: Record<string, string>;
  clock: SharedClock;
  identityOnWallClock: boolean;
  /** Where the backend's log lines go. */
  logFile: string;
}

const STOP_TIMEOUT_MS = 30_000;

/** Starts the backend's thread and waits until it listens; its stdout and stderr go to `logFile`. */
export async function startBackendThread(options: BackendStartOptions): Promise<BackendHandle> {
  const data: BackendThreadData = {
    entry: new URL('./backend-thread.ts', import.meta.url).href,
    env: options.env,
    clockBuffer: options.clock.buffer,
    identityOnWallClock: options.identityOnWallClock,
  };
  const worker = new Worker(new URL('./thread-boot.mjs', import.meta.url), { workerData: data, stdout: true, stderr: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const logs: BackendLogCounts = { error: 0, warn: 0, lines: 0 };
  const lastErrors: string[] = [];
  const onLine = (line: string) => {
    log.write(`${line}\n`);
    logs.lines++;
    const level = /"level":"(\w+)"/.exec(line)?.[1];
    if (level === 'ERROR' || level === 'CRITICAL') {
      logs.error++;
      lastErrors.push(line.slice(0, 400));
      if (lastErrors.length > 5) lastErrors.shift();
    } else if (level === 'WARN') logs.warn++;
  };
  createInterface({ input: worker.stdout }).on('line', onLine);
  createInterface({ input: worker.stderr }).on('line', onLine);

  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let stopped: (() => void) | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the backend thread exited (${code}) before it listened; see ${options.logFile}`)));
    worker.on('message', (message: FromThread) => {
      if (message.type === 'ready') resolve(message.url);
      else if (message.type === 'failed') reject(new Error(`the backend did not start: ${message.message}`));
      else if (message.type === 'stopped') stopped?.();
      else {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) call?.reject(new Error(message.error));
        else call?.resolve(message.value);
      }
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    await closeLog(log);
    throw error;
  });
  worker.removeAllListeners('error');
  worker.on('error', (error) => onLine(JSON.stringify({ level: 'ERROR', message: `backend thread: ${error.message}` })));

  const call = (method: keyof InspectorCalls) => (...args: unknown[]) =>
    new Promise<never>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ type: 'call', id, method, args } satisfies ToThread);
    });
  const inspect: InspectorCalls = { deviceNumber: call('deviceNumber'), warningsOf: call('warningsOf'), explainCase: call('explainCase'), officialsReport: call('officialsReport') };

  let stopping: Promise<void> | undefined;
  return {
    url,
    inspect,
    logs,
    lastErrors,
    stop: () =>
      (stopping ??= (async () => {
        const graceful = new Promise<void>((resolve) => (stopped = resolve));
        worker.postMessage({ type: 'stop' } satisfies ToThread);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)));
        await Promise.race([graceful, exited, timeout]);
        clearTimeout(timer);
        await worker.terminate();
        await exited;
        for (const p of pending.values()) p.reject(new Error('the backend stopped'));
        await closeLog(log);
      })()),
  };
}

function closeLog(log: WriteStream): Promise<void> {
  return new Promise((resolve) => log.end(() => resolve()));
}
