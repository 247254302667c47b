import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from './startup-error.js';

/**
 * One local stack per DATA_DIR: two processes polling the same queue file would both work,
 * but a forgotten one would silently compete with the one the developer is watching.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, 'proxitrace.pid');
  const holder = readPid(pidFile);
  if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
    throw new StartupError(`DATA_DIR ${dataDir} is in use by process ${holder}: stop that process, or set another DATA_DIR.`);
  }
  writeFileSync(pidFile, String(process.pid));
  return () => {
    if (readPid(pidFile) === process.pid) rmSync(pidFile, { force: true });
  };
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
