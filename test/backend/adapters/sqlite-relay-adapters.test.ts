import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../../backend/src/adapters/sqlite/sqlite-database.js';
import { SqliteDedicatedDevices } from '../../../backend/src/adapters/sqlite/sqlite-dedicated-devices.js';
import { SqliteOwnerAlertLedger } from '../../../backend/src/adapters/sqlite/sqlite-owner-alert-ledger.js';
import type { AdapterHarness } from '../contracts/adapter-harness.js';
import { describeDedicatedDevicesContract } from '../contracts/dedicated-devices.contract.js';
import { describeOwnerAlertLedgerContract } from '../contracts/owner-alert-ledger.contract.js';

function onSqliteFile<T>(build: (db: SqliteDatabase) => T): () => Promise<AdapterHarness<T>> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxitrace-relay-sqlite-'));
    const db = new SqliteDatabase(join(dir, 'test.sqlite'), { synchronous: 'NORMAL' });
    return {
      adapter: build(db),
      close: async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

describeDedicatedDevicesContract('sqlite', onSqliteFile((db) => new SqliteDedicatedDevices(db)));
describeOwnerAlertLedgerContract('sqlite', onSqliteFile((db) => new SqliteOwnerAlertLedger(db)));
