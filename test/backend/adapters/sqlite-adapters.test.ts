import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteContactQueue } from '../../../backend/src/adapters/sqlite/sqlite-contact-queue.js';
import { SqliteContactStore } from '../../../backend/src/adapters/sqlite/sqlite-contact-store.js';
import { SqliteDatabase } from '../../../backend/src/adapters/sqlite/sqlite-database.js';
import { SqliteDeadLetters } from '../../../backend/src/adapters/sqlite/sqlite-dead-letters.js';
import { SqliteDeviceDirectory } from '../../../backend/src/adapters/sqlite/sqlite-device-directory.js';
import { SqliteExposureLedger } from '../../../backend/src/adapters/sqlite/sqlite-exposure-ledger.js';
import { SqliteInfectionReports } from '../../../backend/src/adapters/sqlite/sqlite-infection-reports.js';
import { SqliteTokenFlags } from '../../../backend/src/adapters/sqlite/sqlite-token-flags.js';
import { SqliteTokenRegistry } from '../../../backend/src/adapters/sqlite/sqlite-token-registry.js';
import { describeTokenFlagsContract } from '../contracts/token-flags.contract.js';
import { SqliteTracingOutbox } from '../../../backend/src/adapters/sqlite/sqlite-tracing-outbox.js';
import { SqliteAuditLog } from '../../../backend/src/adapters/sqlite/sqlite-audit-log.js';
import { SqliteRateLimitStore } from '../../../backend/src/adapters/sqlite/sqlite-rate-limit-store.js';
import { SqliteRefreshTokenFamilies } from '../../../backend/src/adapters/sqlite/sqlite-refresh-token-families.js';
import { describeAuditLogContract } from '../contracts/audit-log.contract.js';
import { describeRateLimitStoreContract } from '../contracts/rate-limit-store.contract.js';
import { describeRefreshTokenFamiliesContract } from '../contracts/refresh-token-families.contract.js';
import type { AdapterHarness } from '../contracts/adapter-harness.js';
import { describeContactQueueContract } from '../contracts/contact-queue.contract.js';
import { describeContactStoreContract } from '../contracts/contact-store.contract.js';
import { describeDeadLettersContract } from '../contracts/dead-letters.contract.js';
import { describeDeviceDirectoryContract } from '../contracts/device-directory.contract.js';
import { describeTracingStoresContract } from '../contracts/exposure-ledger.contract.js';
import { describeTokenRegistryContract } from '../contracts/token-registry.contract.js';
import { DAY, NOW } from '../../support/builders.js';
import { ANALYTICS_MIGRATIONS } from '../../../backend/src/adapters/sqlite/analytics-schema.js';
import { SqliteAnalyticsStore } from '../../../backend/src/adapters/sqlite/sqlite-analytics-store.js';
import { SqlitePseudonymKeys } from '../../../backend/src/adapters/sqlite/sqlite-pseudonym-keys.js';
import { describeAnalyticsStoreContract } from '../contracts/analytics-store.contract.js';
import { describePseudonymKeysContract } from '../contracts/pseudonym-keys.contract.js';

/** Each adapter on a real SQLite file in a fresh directory. */
function onSqliteFile<T>(build: (db: SqliteDatabase) => T, migrations?: readonly string[]): () => Promise<AdapterHarness<T>> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxitrace-sqlite-'));
    const db = new SqliteDatabase(join(dir, 'test.sqlite'), { synchronous: 'FULL', migrations });
    return {
      adapter: build(db),
      close: async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

const queueOptions = { visibilityTimeoutMs: 1000, maxReceives: 3 };

describeContactStoreContract('sqlite', onSqliteFile((db) => new SqliteContactStore(db, () => NOW)));
describeContactQueueContract('sqlite', onSqliteFile((db) => new SqliteContactQueue(db, queueOptions, () => NOW)));
describeDeviceDirectoryContract('sqlite', (clock) => onSqliteFile((db) => new SqliteDeviceDirectory(db, clock.now))());
describeTokenRegistryContract('sqlite', onSqliteFile((db) => new SqliteTokenRegistry(db)));
describeTokenFlagsContract('sqlite', onSqliteFile((db) => new SqliteTokenFlags(db)));
describeTracingStoresContract(
  'sqlite',
  onSqliteFile((db) => {
    let now = NOW.getTime();
    const outbox = new SqliteTracingOutbox(db, { ...queueOptions, keepDoneMs: DAY }, () => new Date(now));
    return {
      ledger: new SqliteExposureLedger(db),
      reports: new SqliteInfectionReports(db),
      outbox,
      deadLetters: new SqliteDeadLetters(db, () => new Date(now)),
      waitingTasks: async () => (await outbox.receive(1000)).map(({ key, task }) => ({ key, task })),
      // Each receive counts an attempt; past the last one the outbox dead-letters the task itself.
      failAllUntilDeadLettered: async () => {
        for (let round = 0; round <= queueOptions.maxReceives + 1; round++) {
          for (const { key } of await outbox.receive(1000)) await outbox.failed(key, 'the ledger was unavailable');
          now += queueOptions.visibilityTimeoutMs;
        }
      },
    };
  }),
);
describeDeadLettersContract(
  'sqlite',
  onSqliteFile((db) => {
    const queue = new SqliteContactQueue(db, queueOptions, () => NOW);
    return { queue, deadLetters: new SqliteDeadLetters(db, () => NOW), waitingBodies: async () => (await queue.receive(1000)).map((m) => m.body) };
  }),
);
describeRateLimitStoreContract('sqlite', onSqliteFile((db) => new SqliteRateLimitStore(db)));
describeRefreshTokenFamiliesContract('sqlite', onSqliteFile((db) => new SqliteRefreshTokenFamilies(db)));
describeAuditLogContract('sqlite', onSqliteFile((db) => new SqliteAuditLog(db)));
describeAnalyticsStoreContract('sqlite', onSqliteFile((db) => new SqliteAnalyticsStore(db), ANALYTICS_MIGRATIONS));
describePseudonymKeysContract(
  'sqlite',
  onSqliteFile((db) => new SqlitePseudonymKeys(db, { cases: 400 * DAY, notifications: 90 * DAY, encounters: 28 * DAY, activity: 90 * DAY, figures: 730 * DAY })),
);
