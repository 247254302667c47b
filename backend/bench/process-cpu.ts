import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone or off Linux. */
export function cpuSecondsOf(pid: number): number {
  return cpuSecondsFromStat(`/proc/${pid}/stat`);
}

/**
 * A process's CPU seconds split into its main thread (the HTTP server's event loop) and all its
 * other threads (the consumer thread, V8's GC helpers, libuv's pool), from /proc's per-thread stat.
 */
export function threadCpuSecondsOf(pid: number): { mainThread: number; otherThreads: number } {
  const mainThread = cpuSecondsFromStat(`/proc/${pid}/task/${pid}/stat`);
  return { mainThread, otherThreads: Math.max(0, cpuSecondsOf(pid) - mainThread) };
}

function cpuSecondsFromStat(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export type CpuSnapshot = Record<string, number>;

/** CPU seconds of each named process. */
export function snapshotCpu(pids: Record<string, number>): CpuSnapshot {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
}

/** CPU seconds each process spent between two snapshots. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return Object.fromEntries(Object.keys(before).map((name) => [name, Math.round(((after[name] ?? 0) - before[name]!) * 100) / 100]));
}
