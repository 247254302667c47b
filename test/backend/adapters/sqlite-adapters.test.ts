import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteContactQueue } from '../../../backend/src/adapters/sqlite/sqlite-contact-queue.js';
import { SqliteContactStore } from '../../../backend/src/adapters/sqlite/sqlite-contact-store.js';
import { SqliteDatabase } from '../../../backend/src/adapters/sqlite/sqlite-database.js';
import { SqliteDeviceDirectory } from '../../../backend/src/adapters/sqlite/sqlite-device-directory.js';
import { SqliteNotifier } from '../../../backend/src/adapters/sqlite/sqlite-notifier.js';
import { SqliteTokenRegistry } from '../../../backend/src/adapters/sqlite/sqlite-token-registry.js';
import { SqliteAuditLog } from '../../../backend/src/adapters/sqlite/sqlite-audit-log.js';
import { SqliteRateLimitStore } from '../../../backend/src/adapters/sqlite/sqlite-rate-limit-store.js';
import { SqliteRefreshTokenFamilies } from '../../../backend/src/adapters/sqlite/sqlite-refresh-token-families.js';
import { describeAuditLogContract } from '../contracts/audit-log.contract.js';
import { describeRateLimitStoreContract } from '../contracts/rate-limit-store.contract.js';
import { describeRefreshTokenFamiliesContract } from '../contracts/refresh-token-families.contract.js';
import { describeContactQueueContract } from '../contracts/contact-queue.contract.js';
import type { AdapterHarness } from '../contracts/adapter-harness.js';
import { describeContactStoreContract } from '../contracts/contact-store.contract.js';
import { describeDeviceDirectoryContract } from '../contracts/device-directory.contract.js';
import { describeNotifierContract } from '../contracts/notifier.contract.js';
import { describeTokenRegistryContract } from '../contracts/token-registry.contract.js';
import { NOW } from '../../support/builders.js';

/** Each adapter on a real SQLite file in a fresh directory. */
function onSqliteFile<T>(build: (db: SqliteDatabase) => T): () => Promise<AdapterHarness<T>> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxitrace-sqlite-'));
    const db = new SqliteDatabase(join(dir, 'test.sqlite'), { synchronous: 'FULL' });
    return {
      adapter: build(db),
      close: async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

describeContactStoreContract('sqlite', onSqliteFile((db) => new SqliteContactStore(db, () => NOW)));
describeContactQueueContract('sqlite', onSqliteFile((db) => new SqliteContactQueue(db, { visibilityTimeoutMs: 1000, maxReceives: 3 }, () => NOW)));
describeDeviceDirectoryContract('sqlite', onSqliteFile((db) => new SqliteDeviceDirectory(db)));
describeNotifierContract('sqlite', onSqliteFile((db) => new SqliteNotifier(db)));
describeTokenRegistryContract('sqlite', onSqliteFile((db) => new SqliteTokenRegistry(db)));
describeRateLimitStoreContract('sqlite', onSqliteFile((db) => new SqliteRateLimitStore(db)));
describeRefreshTokenFamiliesContract('sqlite', onSqliteFile((db) => new SqliteRefreshTokenFamilies(db)));
describeAuditLogContract('sqlite', onSqliteFile((db) => new SqliteAuditLog(db)));
