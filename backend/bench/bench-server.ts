import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '../..');
const LISTENING = /local stack listening on (http:\/\/\S+)/;

export interface BenchServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the local stack in its own process (its own core), on a free port and a temp DATA_DIR,
 * or on `dataDir`, which is then left in place when it stops.
 */
export async function startBenchServer(env: Record<string, string>, options: { dataDir?: string } = {}): Promise<BenchServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'proxitrace-bench-'));
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', join(ROOT, 'backend/src/local/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, DEV_SMS_ECHO: '1', LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`the local stack exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const listening = LISTENING.exec(line);
      if (listening) resolveUrl(listening[1]!);
    });
  });
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, child, stop: () => (stopping ??= stop()) };
}
