import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RELAY = fileURLToPath(new URL('./pty-relay.py', import.meta.url));

/** A pseudo-terminal whose slave path a host opens as a serial port; we hold the master side. */
export interface Pty {
  path: string;
  write(data: Buffer): void;
  onData(listener: (data: Buffer) => void): void;
  close(): Promise<void>;
}

export async function openPty(): Promise<Pty> {
  const child: ChildProcessWithoutNullStreams = spawn('python3', ['-u', RELAY], { stdio: ['pipe', 'pipe', 'pipe'] });
  const path = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      const line = err.split('\n')[0];
      if (err.includes('\n') && line?.startsWith('/dev/')) resolve(line.trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`pty relay exited (${code}): ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    path,
    write: (data) => {
      // A controller may still answer after close() ended the relay's stdin.
      if (!child.stdin.destroyed && !child.stdin.writableEnded) child.stdin.write(data);
    },
    onData: (listener) => child.stdout.on('data', listener),
    close: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
