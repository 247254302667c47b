import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { JSONWebKeySet } from 'jose';
import { AccessTokenVerifier } from '../adapters/jwt/access-token-verifier.js';
import { loadOrCreateLocalIdentityKeys } from '../adapters/local-identity/local-identity-keys.js';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, LocalIdentity } from '../adapters/local-identity/local-identity.js';
import { LogSmsSender } from '../adapters/log/log-sms-sender.js';
import { ANALYTICS_MIGRATIONS } from '../adapters/sqlite/analytics-schema.js';
import { SqliteAnalyticsStore } from '../adapters/sqlite/sqlite-analytics-store.js';
import { SqliteContactQueue } from '../adapters/sqlite/sqlite-contact-queue.js';
import { SqlitePseudonymKeys } from '../adapters/sqlite/sqlite-pseudonym-keys.js';
import { SqliteContactStore } from '../adapters/sqlite/sqlite-contact-store.js';
import { SqliteDatabase, type SqliteOptions } from '../adapters/sqlite/sqlite-database.js';
import { SqliteDedicatedDevices } from '../adapters/sqlite/sqlite-dedicated-devices.js';
import { SqliteDeviceDirectory } from '../adapters/sqlite/sqlite-device-directory.js';
import { SqliteDeadLetters } from '../adapters/sqlite/sqlite-dead-letters.js';
import { SqliteExposureLedger } from '../adapters/sqlite/sqlite-exposure-ledger.js';
import { SqliteInfectionReports } from '../adapters/sqlite/sqlite-infection-reports.js';
import { SqliteTracingOutbox } from '../adapters/sqlite/sqlite-tracing-outbox.js';
import { LogWarningChannel } from '../adapters/log/log-warning-channel.js';
import { SqliteAuditLog } from '../adapters/sqlite/sqlite-audit-log.js';
import { SqliteRateLimitStore } from '../adapters/sqlite/sqlite-rate-limit-store.js';
import { SqliteRefreshTokenFamilies } from '../adapters/sqlite/sqlite-refresh-token-families.js';
import { SqliteTokenFlags } from '../adapters/sqlite/sqlite-token-flags.js';
import { SqliteOwnerAlertLedger } from '../adapters/sqlite/sqlite-owner-alert-ledger.js';
import { loadRelayKeys } from '../adapters/relay-keys/load-relay-keys.js';
import { OwnerAlertingChannel } from '../application/relay/owner-alerting-channel.js';
import { SqliteTokenRegistry } from '../adapters/sqlite/sqlite-token-registry.js';
import { loadTokenKeys } from '../adapters/token-keys/load-token-keys.js';
import { systemClock, type Clock } from '../application/clock.js';
import type { BackendConfig } from '../config/backend-config.js';
import { TokenCipher } from '../domain/tokens/token-cipher.js';
import type { BackendServices } from './backend-services.js';
import { createMetrics } from './metrics.js';
import { SIGN_IN_CHALLENGE_POLICY } from './sign-in-policy.js';
import { signInServices } from './sign-in-services.js';
import { purgeRelayData, relayServices } from './relay-services.js';

export const DATABASE_FILE = 'proxitrace.sqlite';
/** The analytics store's own file: pseudonymous records and figures, apart from the operational data. */
export const ANALYTICS_DATABASE_FILE = 'analytics.sqlite';

export interface EmbeddedServices extends BackendServices {
  database: SqliteDatabase;
  analyticsDatabase: SqliteDatabase;
  /** The queue's consumer side, for the in-process poller. */
  embeddedQueue: SqliteContactQueue;
  /** The tracing outbox's consumer side, for the in-process tracer. */
  embeddedOutbox: SqliteTracingOutbox;
}

/**
 * The embedded default: every port on one SQLite file under DATA_DIR, identity issued locally.
 * Each thread that uses the file builds its own services (its own connection); `connection` says
 * how this one shares the file with the others.
 */
export async function createEmbeddedServices(
  config: BackendConfig,
  logger: Logger,
  clock: Clock = systemClock,
  connection: Omit<SqliteOptions, 'synchronous'> = {},
): Promise<EmbeddedServices> {
  const database = new SqliteDatabase(join(config.dataDir, DATABASE_FILE), { synchronous: config.sqliteSynchronous, ...connection });
  // Its own file: the write-lock turns and checkpoint duty above are the operational file's.
  const analyticsDatabase = new SqliteDatabase(join(config.dataDir, ANALYTICS_DATABASE_FILE), {
    synchronous: config.sqliteSynchronous,
    migrations: ANALYTICS_MIGRATIONS,
    ...(connection.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: connection.lockTimeoutMs }),
  });
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

  const devices = new SqliteDeviceDirectory(database, clock);
  const contacts = new SqliteContactStore(database, clock);
  const embeddedOutbox = new SqliteTracingOutbox(
    database,
    { visibilityTimeoutMs: config.queue.visibilityTimeoutSeconds * 1000, maxReceives: config.queue.maxReceives, keepDoneMs: config.retention.doneTasksMs },
    clock,
  );
  const smsSender = new LogSmsSender(logger);
  const relayKeys = await loadRelayKeys({ keysEnv: config.env.RELAY_KEYS, keysFile: config.env.RELAY_KEYS_FILE, defaultFile: join(config.dataDir, 'relay-keys.json') });
  const relay = relayServices(config, clock, logger, {
    registry: new SqliteDedicatedDevices(database),
    ledger: new SqliteOwnerAlertLedger(database),
    keys: relayKeys,
    sms: smsSender,
  });
  const embeddedQueue = new SqliteContactQueue(
    database,
    { visibilityTimeoutMs: config.queue.visibilityTimeoutSeconds * 1000, maxReceives: config.queue.maxReceives + 1 },
    clock,
  );
  const identity = new LocalIdentity(
    database,
    identityKeys,
    verifier,
    smsSender,
    {
      officialPhoneNumbers: config.officialPhoneNumbers,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      officialRoleCacheMs: config.signIn.officialRoleCacheMs,
      ...SIGN_IN_CHALLENGE_POLICY,
      echoCodes: config.devSmsEcho,
    },
    clock,
  );
  await identity.syncOfficialRoles();
  const { purgeSignIn, ...signIn } = signInServices(config, clock, {
    rateLimits: new SqliteRateLimitStore(database),
    refreshFamilies: new SqliteRefreshTokenFamilies(database),
    audit: new SqliteAuditLog(database),
  });

  return {
    ...signIn,
    config,
    logger,
    clock,
    identity,
    devices,
    tokenRegistry: new SqliteTokenRegistry(database),
    cipher: new TokenCipher(keySet),
    queue: embeddedQueue,
    contacts,
    ledger: new SqliteExposureLedger(database),
    reports: new SqliteInfectionReports(database),
    outbox: embeddedOutbox,
    // Warnings go to the log, and by SMS to the owners of dedicated devices.
    channel: new OwnerAlertingChannel(new LogWarningChannel(logger), relay.ownerAlerts),
    relay,
    deadLetters: new SqliteDeadLetters(database, clock),
    tokenFlags: new SqliteTokenFlags(database),
    analytics: new SqliteAnalyticsStore(analyticsDatabase),
    pseudonymKeys: new SqlitePseudonymKeys(database, config.analytics.retention),
    metrics: createMetrics(config),
    dependencyChecks: { sqlite: async () => void database.read((db) => db.prepare('SELECT 1').get()) },
    jwks,
    purgeExtras: async () => ({
      signInChallenges: await identity.purgeExpiredChallenges(),
      tracingTasks: await embeddedOutbox.purgeDone(),
      ...(await purgeSignIn()),
      ...(await purgeRelayData(relay, clock())),
    }),
    database,
    analyticsDatabase,
    embeddedQueue,
    embeddedOutbox,
    close: async () => {
      database.close();
      analyticsDatabase.close();
    },
  };
}
