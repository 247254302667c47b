import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A service process we started: its log file, and how to stop it (SIGTERM, then SIGKILL). */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Rejects once the process exits, with the tail of its log; use it to fail a readiness wait early. */
  readonly exited: Promise<never>;
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

const STOP_GRACE_MS = 10_000;
const LOG_TAIL_CHARS = 2_000;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts a process with stdout and stderr going to `logFile`. */
export function startProcess(options: StartProcessOptions): ManagedProcess {
  installExitHook();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keepTail = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
    log.write(chunk);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  running.add(child);
  const closed = new Promise<void>((resolve) =>
    child.once('close', () => {
      running.delete(child);
      log.end();
      resolve();
    }),
  );
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`${options.name} could not start: ${error.message}`)));
    child.once('exit', (code, signal) => reject(new Error(`${options.name} exited (${signal ?? `code ${code}`}); log ${options.logFile}:\n${tail}`)));
  });
  exited.catch(() => {}); // observed by whoever waits on it; never an unhandled rejection
  if (child.pid === undefined) throw new Error(`${options.name}: ${options.command} did not start`);
  return {
    name: options.name,
    pid: child.pid,
    logFile: options.logFile,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return closed;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** If this Node process ends without stopping its services, they must not outlive it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Polls `probe` until it resolves true, the process exits, or the timeout passes. */
export async function waitUntilReady(service: ManagedProcess, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let settled = false;
  const poll = async (): Promise<void> => {
    while (!settled) {
      if (await probe().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${service.name} not ready after ${timeoutMs / 1000}s; log ${service.logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  try {
    await Promise.race([poll(), service.exited]);
  } finally {
    settled = true; // the process died: stop polling
  }
}
