import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { JSONWebKeySet } from 'jose';
import { AccessTokenVerifier } from '../adapters/jwt/access-token-verifier.js';
import { loadOrCreateLocalIdentityKeys } from '../adapters/local-identity/local-identity-keys.js';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, LocalIdentity } from '../adapters/local-identity/local-identity.js';
import { LogSmsSender } from '../adapters/log/log-sms-sender.js';
import { SqliteContactQueue } from '../adapters/sqlite/sqlite-contact-queue.js';
import { SqliteContactStore } from '../adapters/sqlite/sqlite-contact-store.js';
import { SqliteDatabase } from '../adapters/sqlite/sqlite-database.js';
import { SqliteDeviceDirectory } from '../adapters/sqlite/sqlite-device-directory.js';
import { SqliteNotifier } from '../adapters/sqlite/sqlite-notifier.js';
import { SqliteTokenRegistry } from '../adapters/sqlite/sqlite-token-registry.js';
import { loadTokenKeys } from '../adapters/token-keys/load-token-keys.js';
import { systemClock, type Clock } from '../application/clock.js';
import type { BackendConfig } from '../config/backend-config.js';
import { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { BackendServices } from './backend-services.js';
import { exposureTracking, SIGN_IN_CHALLENGE_POLICY } from './exposure-tracking.js';
import { createMetrics } from './metrics.js';

export const DATABASE_FILE = 'proxitrace.sqlite';

export interface EmbeddedServices extends BackendServices {
  database: SqliteDatabase;
  /** The queue's consumer side, for the in-process poller. */
  embeddedQueue: SqliteContactQueue;
}

/** The embedded default: every port on one SQLite file under DATA_DIR, identity issued locally. */
export async function createEmbeddedServices(config: BackendConfig, logger: Logger, clock: Clock = systemClock): Promise<EmbeddedServices> {
  const database = new SqliteDatabase(join(config.dataDir, DATABASE_FILE), { synchronous: config.sqliteSynchronous });
  const keySet = loadTokenKeys({
    keysEnv: config.env.TOKEN_KEYS,
    keysFile: config.env.TOKEN_KEYS_FILE,
    defaultFile: join(config.dataDir, 'token-keys.json'),
  });
  const identityKeys = await loadOrCreateLocalIdentityKeys(join(config.dataDir, 'identity-keys.json'));
  const jwks = { keys: [identityKeys.publicJwk] };
  const verifier = new AccessTokenVerifier({
    issuer: LOCAL_ISSUER,
    jwksUri: 'http://localhost/.well-known/jwks.json',
    clientId: LOCAL_CLIENT_ID,
    jwks: jwks as JSONWebKeySet,
    clock,
  });

  const devices = new SqliteDeviceDirectory(database);
  const contacts = new SqliteContactStore(database, clock);
  const notifier = new SqliteNotifier(database, (n) =>
    logger.info('exposure notification', { notificationId: n.id, degree: n.degree, probability: n.probability }),
  );
  const embeddedQueue = new SqliteContactQueue(
    database,
    { visibilityTimeoutMs: config.queue.visibilityTimeoutSeconds * 1000, maxReceives: config.queue.maxReceives + 1 },
    clock,
  );
  const identity = new LocalIdentity(
    database,
    identityKeys,
    verifier,
    new LogSmsSender(logger),
    {
      officialPhoneNumbers: config.officialPhoneNumbers,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      ...SIGN_IN_CHALLENGE_POLICY,
      echoCodes: config.devSmsEcho,
    },
    clock,
  );
  const { exposureIndex, tracer } = exposureTracking(config, clock, { devices, notifier, contacts });

  return {
    config,
    logger,
    clock,
    identity,
    devices,
    tokenRegistry: new SqliteTokenRegistry(database),
    cipher: new TokenCipher(keySet),
    queue: embeddedQueue,
    contacts,
    notifier,
    exposureIndex,
    tracer,
    metrics: createMetrics(config),
    dependencyChecks: { sqlite: async () => void database.read((db) => db.prepare('SELECT 1').get()) },
    jwks,
    purgeExtras: async () => ({
      signInChallenges: await identity.purgeExpiredChallenges(),
      batchReceipts: await embeddedQueue.purgeReceiptsBefore(new Date(clock().getTime() - config.retentionMs)),
    }),
    database,
    embeddedQueue,
    close: async () => database.close(),
  };
}
