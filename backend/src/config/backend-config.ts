import * as z from 'zod';
import { daysToMs, minutesToMs } from '../domain/time.js';
import type { SightingRules } from '../domain/contacts/sighting-window.js';
import type { ExposurePolicy } from '../domain/exposure/exposure-policy.js';
import { maxNotifiedDegree } from '../domain/exposure/exposure-policy.js';
import { proximityPolicyProblems } from '../domain/exposure/proximity-policy.js';
import { analyticsConfigOf, analyticsEnvShape, analyticsProblems, type AnalyticsConfig } from './analytics-config.js';
import { parseAwsEnv, toAwsConfig, type AwsConfig } from './aws-config.js';
import { addressList, callingCodes, choice, commaList, ConfigError, decimal, decimalList, describeEnvIssues, E164, flag, integer, listenHost, optionalInteger, probability } from './env-schema.js';
import { insecureAwsSettings } from './insecure-settings.js';
import { LOGGED_SMS_BUDGET_PER_HOUR, SENT_SMS_BUDGET_PER_HOUR, signInLimitsOf, type SignInConfig } from './sign-in-config.js';

/** Every setting the handlers and the local stack read, with defaults; see README "Configuration". */
const envSchema = z.object({
  BACKEND: z.string().trim().toLowerCase().pipe(z.enum(['embedded', 'aws'], { error: 'must be embedded or aws' })).optional().default('embedded'),
  PORT: integer(3000, { min: 0, max: 65535 }),
  HOST: listenHost,
  DATA_DIR: z.string().trim().min(1).optional().default('./data'),
  LOG_LEVEL: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']))
    .optional()
    .default('INFO'),
  /** `auto`: readable lines on a terminal, JSON lines otherwise (Lambda, files, pipes). */
  LOG_FORMAT: choice(['auto', 'json', 'readable'], 'auto'),
  /** One line per HTTP request on the local stack (method, route, status, duration; nothing personal). */
  ACCESS_LOG: flag.default(true),
  TOKEN_TTL_MINUTES: integer(180, { min: 1, max: 1440 }),
  TOKEN_GRACE_MINUTES: integer(15, { min: 0, max: 240 }),
  TOKEN_KEYS: z.string().optional(),
  TOKEN_KEYS_FILE: z.string().optional(),
  RELAY_KEYS: z.string().optional(),
  RELAY_KEYS_FILE: z.string().optional(),
  DEDICATED_BUNDLE_DAYS: integer(4, { min: 1, max: 14 }),
  OWNER_SMS_LIMIT: integer(3, { min: 1, max: 100 }),
  OWNER_SMS_WINDOW_HOURS: integer(24, { min: 1, max: 24 * 30 }),
  EXPOSURE_MIN_MINUTES: integer(15, { min: 1, max: 1440 }),
  ATTENUATION_THRESHOLDS_DB: decimalList([55, 65, 75], { count: 3, min: 0, max: 150 }),
  ATTENUATION_WEIGHTS: decimalList([1.5, 1, 0.5, 0], { count: 4, min: 0, max: 2.5 }),
  UNKNOWN_SIGNAL_WEIGHT: decimal(1, { min: 0, max: 2.5 }),
  DEFAULT_TX_POWER_DBM: integer(0, { min: -127, max: 20 }),
  RSSI_CORRECTION_DB: integer(0, { min: -30, max: 30 }),
  TOKEN_MAX_REPORTERS_PER_WINDOW: integer(300, { min: 10, max: 100_000 }),
  MAX_UPLOADS_PER_DEVICE_PER_DAY: integer(400, { min: 10, max: 1_000_000 }),
  TOKEN_MAX_SPEED_KMH: integer(300, { min: 10, max: 2000 }),
  LOOKBACK_DAYS: integer(14, { min: 1, max: 60 }),
  HOP_PROBABILITY: probability(1 / 3, { exclusiveOfOne: true }),
  MIN_NOTIFY_PROBABILITY: probability(0.1),
  ENCOUNTER_GAP_MINUTES: integer(5, { min: 0, max: 120 }),
  INFECTIOUS_DAYS_BEFORE_ONSET: integer(2, { min: 0, max: 14 }),
  INFECTIOUS_DAYS_AFTER_REPORT: integer(10, { min: 0, max: 30 }),
  RETENTION_DAYS: integer(21, { min: 1, max: 365 }),
  NOTIFICATION_RETENTION_DAYS: integer(21, { min: 1, max: 365 }),
  CASE_RETENTION_DAYS: integer(30, { min: 1, max: 3650 }),
  VERIFICATION_CODE_RETENTION_DAYS: integer(30, { min: 1, max: 3650 }),
  DEAD_LETTER_RETENTION_DAYS: integer(14, { min: 1, max: 14 }),
  VERIFICATION_CODE_TTL_HOURS: integer(24, { min: 1, max: 24 * 14 }),
  ACCESS_TOKEN_TTL_HOURS: integer(1, { min: 1, max: 24 }),
  REFRESH_TOKEN_TTL_DAYS: integer(90, { min: 1, max: 3650 }),
  OFFICIAL_SESSION_HOURS: integer(12, { min: 1, max: 24 * 7 }),
  SIGN_IN_SMS_PER_ADDRESS_PER_HOUR: integer(30, { min: 1, max: 1_000_000 }),
  SIGN_IN_VERIFY_PER_ADDRESS_PER_HOUR: integer(150, { min: 1, max: 1_000_000 }),
  SIGN_IN_UNLIMITED_ADDRESSES: addressList('127.0.0.0/8,::1/128'),
  /** Set: only requests relayed by the deployment's CloudFront distribution are served (README "Configuration"). */
  EDGE_ORIGIN_SECRET: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || v.toLowerCase() === 'none' || v.length >= 32, 'must be at least 32 characters (the deployment has Secrets Manager generate 64), or none'),
  /** Unset: SENT_SMS_BUDGET_PER_HOUR where SMS are sent (SMS_SENDER=sns), LOGGED_SMS_BUDGET_PER_HOUR where codes only go to the log. */
  SMS_BUDGET_PER_HOUR: optionalInteger({ min: 1, max: 100_000_000 }),
  SMS_ALLOWED_CALLING_CODES: callingCodes,
  VERIFICATION_CODES_PER_OFFICIAL_PER_HOUR: integer(20, { min: 1, max: 10_000 }),
  VERIFICATION_CODES_PER_OFFICIAL_PER_DAY: integer(100, { min: 1, max: 100_000 }),
  OFFICIAL_ROLE_CACHE_SECONDS: integer(30, { min: 0, max: 60 }),
  AUDIT_RETENTION_DAYS: integer(400, { min: 30, max: 3650 }),
  INSECURE_DEVELOPMENT: flag,
  OFFICIAL_PHONE_NUMBERS: commaList.pipe(z.array(z.string().regex(E164, 'each entry must be an E.164 phone number such as +447700900123'))),
  DEV_SMS_ECHO: flag,
  MAX_BODY_BYTES: integer(64 * 1024, { min: 1024, max: 6 * 1024 * 1024 }),
  QUEUE_VISIBILITY_TIMEOUT_SECONDS: integer(30, { min: 1, max: 43_200 }),
  QUEUE_MAX_RECEIVES: integer(5, { min: 1, max: 1000 }),
  POLL_BATCH_SIZE: integer(100, { min: 1, max: 10_000 }),
  POLL_INTERVAL_MS: integer(25, { min: 1, max: 60_000 }),
  PURGE_INTERVAL_MINUTES: integer(60, { min: 1, max: 1440 }),
  SQLITE_SYNCHRONOUS: choice(['FULL', 'NORMAL'], 'FULL'),
  EMBEDDED_CONSUMER: choice(['thread', 'inline'], 'thread'),
  ...analyticsEnvShape,
  POWERTOOLS_METRICS_NAMESPACE: z.string().trim().min(1).optional(),
  POWERTOOLS_SERVICE_NAME: z.string().trim().min(1).optional().default('proxitrace'),
});

export type BackendEnv = z.infer<typeof envSchema>;

export interface Retention {
  /** Contacts, applied-batch records and batch receipts. */
  contactsMs: number;
  /** Exposure states and warnings, counted from their last change. */
  notificationsMs: number;
  /** Infection cases (health data), counted from the report. */
  casesMs: number;
  /** Verification codes, counted from their expiry. */
  verificationCodesMs: number;
  deadLettersMs: number;
  /** Tracing tasks that ran, kept so that queuing one again is recognised. */
  doneTasksMs: number;
  /** Erased device numbers: until no token of theirs can still be accepted. */
  erasedNumbersMs: number;
  /** Erased subjects: until no access token of theirs can still be valid. */
  erasedSubjectsMs: number;
}

/** Variables that meant something once: set, they stop the start with what replaced them. */
const REMOVED: Record<string, string> = {
  EXPOSURE_MIN_RSSI:
    'was replaced by attenuation buckets: ATTENUATION_THRESHOLDS_DB, ATTENUATION_WEIGHTS and DEFAULT_TX_POWER_DBM (README, "Exposure policy")',
  SETS_REFRESH_SECONDS: 'is no longer used: consumers read erasures and exposures when they write, and tracing runs from the tracing outbox',
};

export interface BackendConfig {
  env: BackendEnv;
  /** The variables this configuration was read from (set ones only): another thread reads the same. */
  sourceEnv: Record<string, string>;
  /** Which adapters the process is built from: SQLite + local identity, or the AWS services. */
  backend: 'embedded' | 'aws';
  /** Only with BACKEND=aws. */
  aws?: AwsConfig | undefined;
  port: number;
  host: string;
  dataDir: string;
  logLevel: BackendEnv['LOG_LEVEL'];
  logFormat: BackendEnv['LOG_FORMAT'];
  accessLog: boolean;
  tokenTtlMinutes: number;
  /** What a sighting must satisfy against its token's window (grace) and age (the lookback). */
  sightingRules: SightingRules;
  exposurePolicy: ExposurePolicy;
  /** How long each kind of record is kept (README, "Retention"). */
  retention: Retention;
  /** The analytics job: regions, the epidemiology's parameters, analytics retention (README, "Analytics"). */
  analytics: AnalyticsConfig;
  verificationCodeTtlMs: number;
  accessTokenTtlSeconds: number;
  /** Sign-in limits, refresh-token lifetimes and the officials' safeguards. */
  signIn: SignInConfig;
  /**
   * The value CloudFront sends in `x-origin-verify` with every request it relays (EDGE_ORIGIN_SECRET):
   * with one, a request without it is refused and the client's address is the viewer's, as CloudFront saw it.
   */
  edgeOriginSecret?: string | undefined;
  /** With BACKEND=aws and INSECURE_DEVELOPMENT=1: the unsafe settings allowed, to be logged loudly. */
  insecureDevelopment: string[];
  officialPhoneNumbers: ReadonlySet<string>;
  devSmsEcho: boolean;
  maxBodyBytes: number;
  /** Contact uploads one device may make per UTC day (400 × 50 observations: far more than one person meets). */
  maxUploadsPerDevicePerDay: number;
  queue: { visibilityTimeoutSeconds: number; maxReceives: number; pollBatchSize: number; pollIntervalMs: number };
  purgeIntervalMs: number;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /**
   * Where the embedded stack's consumers run (the contact queue's, the tracing outbox's and the
   * retention purge): a worker thread with its own SQLite connection, so that they and the HTTP
   * server use two cores, or the HTTP server's own thread.
   */
  embeddedConsumer: 'thread' | 'inline';
  /** Accepted settings that deserve a loud line at start-up (values meant for tests). */
  warnings: string[];
  relay: {
    /** Token windows in a dedicated device's bundle (DEDICATED_BUNDLE_DAYS of TOKEN_TTL_MINUTES windows). */
    bundleWindows: number;
    ownerSmsLimit: { max: number; windowMs: number };
  };
  /** CloudWatch metrics (EMF on stdout) only with a namespace: Lambda sets one, local stacks do not by default. */
  metrics: { namespace?: string | undefined; service: string };
}

/** Reads and checks the whole configuration, reporting every problem at once. */
export function loadBackendConfig(env: Record<string, string | undefined> = process.env): BackendConfig {
  const defined = pickDefined(env);
  const parsed = envSchema.safeParse(defined);
  // BACKEND=aws needs its endpoints and names; their problems are reported with the others.
  const wantsAws = (defined.BACKEND ?? '').trim().toLowerCase() === 'aws';
  const aws = wantsAws ? parseAwsEnv(defined) : undefined;
  const issues = [...(parsed.error?.issues ?? []), ...(aws?.issues ?? []), ...removedIssues(defined)];
  if (!parsed.success || issues.length > 0) throw new ConfigError(describeEnvIssues(new z.ZodError(issues), env));
  const e = parsed.data;
  const awsConfig = aws?.data ? toAwsConfig(aws.data) : undefined;
  const insecure = awsConfig ? insecureAwsSettings(e, awsConfig) : [];
  if (insecure.length > 0 && !e.INSECURE_DEVELOPMENT) {
    throw new ConfigError(
      `Refusing to start: BACKEND=aws with settings only a local development stack may use:\n${insecure.map((i) => `  ${i}`).join('\n')}\n` +
        'Fix them, or set INSECURE_DEVELOPMENT=1 on a development stack (npm run stack does).',
    );
  }
  const exposurePolicy: ExposurePolicy = {
    proximity: {
      attenuationThresholdsDb: e.ATTENUATION_THRESHOLDS_DB as [number, number, number],
      bucketWeights: e.ATTENUATION_WEIGHTS as [number, number, number, number],
      unknownSignalWeight: e.UNKNOWN_SIGNAL_WEIGHT,
      defaultTxPowerDbm: e.DEFAULT_TX_POWER_DBM,
      rssiCorrectionDb: e.RSSI_CORRECTION_DB,
      minWeightedMinutes: e.EXPOSURE_MIN_MINUTES,
      encounterGapMs: minutesToMs(e.ENCOUNTER_GAP_MINUTES),
    },
    lookbackMs: daysToMs(e.LOOKBACK_DAYS),
    hopProbability: e.HOP_PROBABILITY,
    minNotifyProbability: e.MIN_NOTIFY_PROBABILITY,
    infectiousBeforeOnsetMs: daysToMs(e.INFECTIOUS_DAYS_BEFORE_ONSET),
    infectiousAfterReportMs: daysToMs(e.INFECTIOUS_DAYS_AFTER_REPORT),
    // Two Bluetooth ranges (0.1 km each) and the rounding of reported locations (0.11 km each), generously.
    relay: { maxReportersPerWindow: e.TOKEN_MAX_REPORTERS_PER_WINDOW, maxSpeedKmh: e.TOKEN_MAX_SPEED_KMH, slackKm: 0.5 },
  };
  const crossField = [
    ...(maxNotifiedDegree(exposurePolicy) === 0
      ? [`  MIN_NOTIFY_PROBABILITY (${e.MIN_NOTIFY_PROBABILITY}): is above HOP_PROBABILITY (${e.HOP_PROBABILITY}), so nobody would ever be notified`]
      : []),
    ...proximityPolicyProblems(exposurePolicy.proximity).map((p) => `  ATTENUATION_THRESHOLDS_DB / ATTENUATION_WEIGHTS: ${p}`),
    ...(e.CASE_RETENTION_DAYS < e.INFECTIOUS_DAYS_AFTER_REPORT + e.LOOKBACK_DAYS
      ? [
          `  CASE_RETENTION_DAYS (${e.CASE_RETENTION_DAYS}): must be at least INFECTIOUS_DAYS_AFTER_REPORT + LOOKBACK_DAYS (${e.INFECTIOUS_DAYS_AFTER_REPORT + e.LOOKBACK_DAYS}): a case must outlive the late uploads of its contacts`,
        ]
      : []),
    ...(e.NOTIFICATION_RETENTION_DAYS < e.LOOKBACK_DAYS
      ? [`  NOTIFICATION_RETENTION_DAYS (${e.NOTIFICATION_RETENTION_DAYS}): must be at least LOOKBACK_DAYS (${e.LOOKBACK_DAYS}): exposures pass on while their contacts are kept`]
      : []),
    ...analyticsProblems(e),
  ];
  if (crossField.length > 0) throw new ConfigError(`Invalid configuration:\n${crossField.join('\n')}`);
  return {
    env: e,
    sourceEnv: defined,
    backend: e.BACKEND,
    aws: awsConfig,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    accessLog: e.ACCESS_LOG,
    tokenTtlMinutes: e.TOKEN_TTL_MINUTES,
    sightingRules: { graceMs: minutesToMs(e.TOKEN_GRACE_MINUTES), maxSightingAgeMs: exposurePolicy.lookbackMs },
    exposurePolicy,
    retention: {
      contactsMs: daysToMs(e.RETENTION_DAYS),
      notificationsMs: daysToMs(e.NOTIFICATION_RETENTION_DAYS),
      casesMs: daysToMs(e.CASE_RETENTION_DAYS),
      verificationCodesMs: daysToMs(e.VERIFICATION_CODE_RETENTION_DAYS),
      deadLettersMs: daysToMs(e.DEAD_LETTER_RETENTION_DAYS),
      doneTasksMs: daysToMs(1),
      // Past the lookback (and a day for clock skew) every sighting of an erased device is dropped as too old.
      erasedNumbersMs: exposurePolicy.lookbackMs + daysToMs(1),
      erasedSubjectsMs: Math.max(e.ACCESS_TOKEN_TTL_HOURS, 24) * 3_600_000,
    },
    analytics: analyticsConfigOf(e, exposurePolicy),
    verificationCodeTtlMs: e.VERIFICATION_CODE_TTL_HOURS * 3_600_000,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_HOURS * 3600,
    signIn: signInLimitsOf({ ...e, SMS_BUDGET_PER_HOUR: e.SMS_BUDGET_PER_HOUR ?? (awsConfig?.sms.sender === 'sns' ? SENT_SMS_BUDGET_PER_HOUR : LOGGED_SMS_BUDGET_PER_HOUR) }),
    edgeOriginSecret: e.EDGE_ORIGIN_SECRET === undefined || e.EDGE_ORIGIN_SECRET.toLowerCase() === 'none' ? undefined : e.EDGE_ORIGIN_SECRET,
    insecureDevelopment: e.INSECURE_DEVELOPMENT ? insecure : [],
    officialPhoneNumbers: new Set(e.OFFICIAL_PHONE_NUMBERS),
    devSmsEcho: e.DEV_SMS_ECHO,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxUploadsPerDevicePerDay: e.MAX_UPLOADS_PER_DEVICE_PER_DAY,
    queue: {
      visibilityTimeoutSeconds: e.QUEUE_VISIBILITY_TIMEOUT_SECONDS,
      maxReceives: e.QUEUE_MAX_RECEIVES,
      pollBatchSize: e.POLL_BATCH_SIZE,
      pollIntervalMs: e.POLL_INTERVAL_MS,
    },
    purgeIntervalMs: e.PURGE_INTERVAL_MINUTES * 60_000,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    embeddedConsumer: e.EMBEDDED_CONSUMER,
    warnings: [
      ...(e.TOKEN_TTL_MINUTES < 60
        ? [`TOKEN_TTL_MINUTES=${e.TOKEN_TTL_MINUTES} is below 60: token windows this short are for tests only (devices rotate and re-register every ${e.TOKEN_TTL_MINUTES} minutes)`]
        : []),
    ],
    relay: {
      bundleWindows: Math.ceil((e.DEDICATED_BUNDLE_DAYS * 1440) / e.TOKEN_TTL_MINUTES),
      ownerSmsLimit: { max: e.OWNER_SMS_LIMIT, windowMs: e.OWNER_SMS_WINDOW_HOURS * 3_600_000 },
    },
    metrics: { namespace: e.POWERTOOLS_METRICS_NAMESPACE, service: e.POWERTOOLS_SERVICE_NAME },
  };
}

function removedIssues(env: Record<string, string>): z.core.$ZodIssue[] {
  return Object.entries(REMOVED)
    .filter(([name]) => env[name] !== undefined)
    .map(([name, message]) => ({ code: 'custom', path: [name], message, input: env[name] }));
}

/** Empty strings count as unset, as a shell `FOO= npm start` means. */
function pickDefined(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}
