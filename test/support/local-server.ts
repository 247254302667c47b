import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { inheritedEnv } from './child-env.js';

export interface LocalServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server logged so far, one JSON line each. */
  logs: string[];
  /** SIGTERM and wait; the data directory is removed unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL: no graceful shutdown, as a crash would be. */
  kill(): Promise<void>;
}

export interface LocalServerOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (e.g. to restart after a kill). */
  dataDir?: string;
  /** How long to wait for the "listening" line; default 20 s. Infinity waits for the line or the exit, however long. */
  startTimeoutMs?: number;
}

const ROOT = resolve(import.meta.dirname, '../..');
const LISTENING = /local stack listening on (http:\/\/\S+)/;

/**
 * Starts `npm start`'s program on a free port with a temp DATA_DIR: the embedded local stack, or
 * with `BACKEND=aws` and the engines' endpoints in `env`, the same server on the AWS adapters.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'proxitrace-'));
  // Node itself with tsx as a loader: one process, so SIGKILL really kills the server
  // (the tsx CLI would leave its node child running).
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'backend/src/local/main.ts')], {
    cwd: ROOT,
    env: {
      ...inheritedEnv(),
      PORT: '0',
      DATA_DIR: dataDir,
      DEV_SMS_ECHO: '1',
      LOG_LEVEL: 'INFO',
      SQLITE_SYNCHRONOUS: 'NORMAL',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 20_000;
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          child.kill('SIGKILL'); // no server left running behind a failed start
          reject(new Error(`local server did not start in ${timeoutMs / 1000} s:\n${stderr.join('')}`));
        }, timeoutMs)
      : undefined;
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local server exited with ${code}:\n${stderr.join('')}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      const listening = LISTENING.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolveUrl(listening[1]!);
      }
    });
  });

  const terminate = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    dataDir,
    process: child,
    logs,
    stop: async ({ keepData = false } = {}) => {
      await terminate('SIGTERM');
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => terminate('SIGKILL'),
  };
}
