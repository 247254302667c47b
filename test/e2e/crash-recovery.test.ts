import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startLocalServer } from '../support/local-server.js';
import { describeCrashRecovery } from './crash-recovery.scenario.js';

/** Crash recovery on the embedded stack: the queue and the contacts live in the SQLite file. */
describeCrashRecovery('crash recovery on the embedded local stack', async () => {
  let dataDir: string | undefined;
  return {
    start: async (env, after) => {
      // A loaded machine can take a while to start a server: the kills are what is under test, not start-up,
      // so the server's own "listening" line is awaited, however long it takes.
      const server = await startLocalServer({ env, startTimeoutMs: Number.POSITIVE_INFINITY, ...(after ? { dataDir: after.dataDir } : {}) });
      dataDir = server.dataDir;
      return server;
    },
    unacknowledged: async (server) => {
      const db = new Database(join(server.dataDir, 'proxitrace.sqlite'), { readonly: true });
      try {
        const counts = db.prepare('SELECT count(*) AS total, sum(visible_at > ?) AS hidden FROM queue_messages').get(Date.now()) as { total: number; hidden: number | null };
        return { queued: counts.total - (counts.hidden ?? 0), inFlight: counts.hidden ?? 0 };
      } finally {
        db.close();
      }
    },
    operatorEnv: (server) => ({ DATA_DIR: server.dataDir }),
    remove: async () => {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
