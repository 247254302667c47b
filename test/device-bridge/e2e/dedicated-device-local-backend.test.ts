import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startLocalServer } from '../../support/local-server.js';
import { describeDedicatedDeviceRelay } from './dedicated-device.scenario.js';

/** The relay scenario against `npm start`'s program and its SQLite file. */
describeDedicatedDeviceRelay('a dedicated device relayed by a bridge, against the local backend', async (env) => {
  const server = await startLocalServer({ env });
  return {
    url: server.url,
    logs: server.logs,
    storedText: async () => {
      const db = new Database(join(server.dataDir, 'proxitrace.sqlite'), { readonly: true });
      try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
        return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
      } finally {
        db.close();
      }
    },
    stop: () => server.stop(),
  };
});
