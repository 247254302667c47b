import { readFileSync, statSync } from 'node:fs';

/** Reads what a soak watches on the machine the server runs on: its resident memory and its files' sizes. */
export interface ProcessProbe {
  /** Resident set size in bytes, or undefined once the process is gone. */
  rssBytes(pid: number): number | undefined;
  /** Size in bytes, 0 when the file does not exist (a WAL appears and vanishes with checkpoints). */
  fileBytes(path: string): number;
}

/** Linux: VmRSS from /proc/<pid>/status, which is what `ps` and pidusage read there too. */
export const procProbe: ProcessProbe = {
  rssBytes(pid) {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return undefined;
    }
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1_024;
  },
  fileBytes(path) {
    try {
      return statSync(path).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  },
};
