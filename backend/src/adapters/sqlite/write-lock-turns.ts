/**
 * Turns on SQLite's one write lock for the connections of one process (the HTTP thread's and the
 * consumer thread's), in shared memory. SQLite queues nobody: a connection that has just
 * committed would take the lock again at once and starve the other, which only retries every
 * millisecond. So a connection that finds the lock taken says it is waiting, and one that is not
 * waiting lets the lock go by while someone is (for a bounded time, so a thread that died while
 * waiting costs at most that).
 */
export class WriteLockTurns {
  private readonly waiting: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.waiting = new Int32Array(buffer);
  }

  othersWaiting(): boolean {
    return Atomics.load(this.waiting, 0) > 0;
  }

  startWaiting(): void {
    Atomics.add(this.waiting, 0, 1);
  }

  stopWaiting(): void {
    Atomics.sub(this.waiting, 0, 1);
  }
}
