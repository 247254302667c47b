import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { inheritedEnv } from '../../support/child-env.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** A status record (absent fields had no value: the log format leaves out empty ones). */
export interface StatusLine {
  tokens: number;
  address?: string;
  sightings: number;
  cached: number;
  outbox: { pendingObservations: number; batches: number; dead: number };
  lastUploadAt?: string;
  lastUploadError?: string;
}

/** One log record, in the backend's (Powertools) format. */
export interface LogLine {
  level: string;
  message: string;
  timestamp: string;
  service: string;
  [key: string]: unknown;
}

/**
 * A real bridge process (`node --import tsx device-bridge/src/cli/main.ts ...`, one process so a
 * SIGKILL really is a power cut). Collects status lines (stdout) and JSON logs (stderr). Its key
 * file is `<data-dir>.key` unless the test says otherwise, so no test writes to the user's home.
 */
export class BridgeProcess {
  readonly statuses: StatusLine[] = [];
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  readonly stdout: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    args: string[],
    program = 'device-bridge/src/cli/main.ts',
    env: Record<string, string> = {},
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, program), ...args], {
      cwd: ROOT,
      // A private simulated air unless the test names a shared one: other tests (and other
      // people's) on this machine run sim bridges too.
      env: { ...inheritedEnv(), BRIDGE_KEY_FILE: testKeyFile(args), BRIDGE_SIM_AIR: 'private', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.stdout.push(line);
      try {
        const parsed = JSON.parse(line) as { message?: string };
        if (parsed.message === 'status') this.statuses.push(parsed as unknown as StatusLine);
      } catch {
        // not a status line
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        // plain text (a crash); kept in stderr
      }
    });
    this.exited = new Promise((done) => this.child.once('close', (code) => done(code)));
  }

  get last(): StatusLine | undefined {
    return this.statuses.at(-1);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (!this.running) throw new Error(`${this.name} exited while waiting for ${what}:\n${this.stderr.slice(-20).join('\n')}`);
      if (Date.now() > end) throw new Error(`${this.name}: timed out waiting for ${what}; last status ${JSON.stringify(this.last)}\n${this.stderr.slice(-10).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  waitForLog(message: string, timeoutMs?: number): Promise<LogLine> {
    return this.waitFor(`log "${message}"`, () => this.logs.find((l) => l.message === message), timeoutMs);
  }

  /** Waits for the process to end by itself. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /** SIGTERM (graceful shutdown); SIGKILL after `graceMs`. Resolves with the exit code. */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** SIGKILL: a power cut. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** `<data-dir>.key` (beside the data directory, never in it), else one per test process in the temp dir. */
export function testKeyFile(args: readonly string[]): string {
  const at = args.indexOf('--data-dir');
  return at >= 0 && args[at + 1] !== undefined ? `${args[at + 1]!.replace(/\/+$/, '')}.key` : join(tmpdir(), `proxitrace-bridge-test-${process.pid}.key`);
}

/** Runs `npm run provision`'s program to its end; resolves with its exit code and the JSON line it printed. */
export async function runProvision(args: string[]): Promise<{ code: number | null; result: Record<string, unknown> | undefined; stderr: string }> {
  const p = new BridgeProcess('provision', args, 'device-bridge/src/cli/provision.ts');
  const code = await p.exit();
  const line = p.stdout.find((l) => l.startsWith('{'));
  return { code, result: line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>), stderr: p.stderr.join('\n') };
}
